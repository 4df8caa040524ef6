// The report form's small proof of work, asked for only while many reports arrive (ADR 0017): before the form is
// sent, find a number whose SHA-256 together with the challenge starts with the asked number of zero bits.
(function () {
  "use strict";

  function zeroBits(bytes) {
    var count = 0;
    for (var i = 0; i < bytes.length; i++) {
      if (bytes[i] === 0) { count += 8; continue; }
      var byte = bytes[i];
      while ((byte & 0x80) === 0) { count += 1; byte <<= 1; }
      break;
    }
    return count;
  }

  async function solve(challenge) {
    var bits = Number(challenge.split(".")[3]);
    var encoder = new TextEncoder();
    for (var n = 0; n < 100000000; n++) {
      var digest = await crypto.subtle.digest("SHA-256", encoder.encode(challenge + ":" + n));
      if (zeroBits(new Uint8Array(digest)) >= bits) { return String(n); }
    }
    return "";
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    var challenge = form.querySelector("input[name=tantangan]");
    var answer = form.querySelector("input[name=jawaban]");
    if (!challenge || !answer || answer.value || !window.crypto || !crypto.subtle) { return; }
    event.preventDefault();
    var button = form.querySelector("button[type=submit]");
    if (button) { button.disabled = true; }
    solve(challenge.value).then(function (found) {
      answer.value = found;
      if (button) { button.disabled = false; }
      form.submit();
    });
  });
})();
