// Refuses, before anything is sent, a file larger than its form takes, or more files than it takes: the server
// refuses them too, but only after the whole upload. Without JavaScript the server's answer says the same.
(function () {
  "use strict";

  function megabytes(bytes) {
    var text = (bytes / 1048576).toFixed(1);
    return document.documentElement.lang === "id" ? text.replace(".", ",") : text;
  }

  function check(input) {
    var limit = Number(input.getAttribute("data-max-mb"));
    var most = Number(input.getAttribute("data-max-files") || "0");
    var files = input.files || [];
    var message = "";
    if (most && files.length > most) {
      message = input.getAttribute("data-too-many").replace("{limit}", String(most));
    }
    for (var i = 0; i < files.length && !message; i++) {
      if (files[i].size > limit * 1048576) {
        message = input.getAttribute("data-too-large")
          .replace("{name}", files[i].name)
          .replace("{size}", megabytes(files[i].size))
          .replace("{limit}", String(limit));
      }
    }
    input.setCustomValidity(message);
    var note = document.getElementById(input.id + "-batas");
    if (note) {
      note.textContent = message;
      note.hidden = !message;
    }
  }

  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input && input.matches && input.matches("input[type=file][data-max-mb]")) {
      check(input);
    }
  });
})();
