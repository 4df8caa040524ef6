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
        # The drill reaches nginx over TLS with the self-signed certificate scripts/nginx-site made.
        unverified = ssl.create_default_context()
        unverified.check_hostname = False
        unverified.verify_mode = ssl.CERT_NONE
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), self.NoRedirect,
            urllib.request.HTTPSHandler(context=unverified))

    def send(self, path, data=None, content_type=None):
        request = urllib.request.Request(self.base + path, data=data)
        if content_type:
            request.add_header("Content-Type", content_type)
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                return response.status, response.read().decode()
        except urllib.error.HTTPError as error:
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
