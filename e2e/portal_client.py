"""A browser without a browser, for the drills: cookies, forms and multipart uploads over urllib."""

import html
import http.cookiejar
import re
import ssl
import urllib.error
import urllib.parse
import urllib.request
import uuid


class Client:
    """A browser without a browser: cookies, forms and multipart uploads over urllib, no redirects followed."""

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base, timeout=60):
        self.base = base
        self.timeout = timeout
        self.last_location = None
        # The drill reaches nginx over TLS with the self-signed certificate scripts/nginx-site made.
        unverified = ssl.create_default_context()
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        self.cookie_jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(self.cookie_jar), self.NoRedirect,
            urllib.request.HTTPSHandler(context=unverified))

    def send(self, path, data=None, content_type=None):
        request = urllib.request.Request(self.base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                self.last_location = response.headers.get("Location")
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
            # Redirects are not followed: they arrive here, with where they lead.
            self.last_location = error.headers.get("Location")
            return error.code, error.read().decode()

    def get(self, path):
        return self.send(path)

    def post(self, path, fields):
        return self.send(path, urllib.parse.urlencode(fields).encode(), "application/x-www-form-urlencoded")

    def post_multipart(self, path, fields, files):
        boundary = "drill-" + uuid.uuid4().hex
        body = b""
        for name, value in fields:
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
        for name, file_name, content in files:
            body += (f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{file_name}"\r\n'
                     "Content-Type: application/pdf\r\n\r\n").encode() + content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        return self.send(path, body, f"multipart/form-data; boundary={boundary}")


def token(page):
    """The form's CSRF token."""
    return re.search(r'name="_csrf" value="([^"]+)"', page).group(1)


def demo_password(sign_in_page, email):
    """A demo account's password, as /masuk lists it in development."""
    return html.unescape(re.search(re.escape(email) + r"</code></td><td><code>([^<]+)</code>", sign_in_page).group(1))


def activated(base, link, email, password):
    """A Client signed in as the account that `link` (printed by `jaga users create`) activates: it sets the
    password, signs in, and enrols an authenticator when the role needs one, acting as the app with `totp`. Returns
    the client and the account's TOTP secret (None when none was asked)."""
    import totp

    client = Client(base)
    path = urllib.parse.urlsplit(link).path
    status, page = client.get(path)
    assert status == 200, (status, path)
    status, _ = client.post(path, [("_csrf", token(page)), ("username", email), ("password", password),
                                   ("confirmation", password)])
    assert status == 303, status
    status, page = client.get("/masuk")
    status, _ = client.post("/masuk", [("_csrf", token(page)), ("lanjut", ""), ("email", email),
                                       ("password", password)])
    assert status == 303, status
    status, page = client.get("/akun/dua-langkah")
    secret = None
    if 'name="secret"' in page:
        secret = re.search(r'name="secret" value="([A-Z2-7]+)"', page).group(1)
        status, page = client.post("/akun/dua-langkah", [("_csrf", token(page)), ("secret", secret),
                                                         ("code", totp.code(secret))])
        assert status == 200 and "code-list" in page, status
    return client, secret


def created_account(binary, env, email, role, name):
    """`jaga users create` for `email` with `role`; returns the activation link it prints."""
    import subprocess

    out = subprocess.run([binary, "users", "create", "--email", email, "--role", role, "--name", name],
                         env=env, capture_output=True, text=True, check=True).stdout
    return re.search(r"https?://\S+", out).group(0)
