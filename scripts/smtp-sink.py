#!/usr/bin/env python3
"""A mail server on 127.0.0.1 for the test suite (aiosmtpd).

Prints "PORT <n>" (and, with --starttls, "CA <file>") on its first lines, then keeps every message it accepts as a
JSON file in --dir: envelope sender and recipients, decoded headers, the plain-text and HTML bodies. While a file
named "fail" exists in --dir it answers every message with a temporary failure (451), as a broken server would.
While a file named "hold-STEP" exists it stops answering at that step and writes "held-STEP", so that a test can kill
the client there: MAIL, RCPT, DATA (the message read, not kept), ACCEPTED (the message kept, its 250 not yet sent)
or QUIT.
With --starttls it offers STARTTLS with a certificate for localhost made on the spot, and refuses mail without it.
"""
import argparse
import asyncio
import email
import email.policy
import json
import os
import socket
import subprocess
import sys
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = 0

    async def hold(self, step):
        """Does not answer while "hold-STEP" exists: the client waits until it gives up, is killed, or the file goes."""
        hold = os.path.join(self.directory, "hold-" + step)
        if os.path.exists(hold):
            with open(os.path.join(self.directory, "held-" + step), "w"):
                pass
            while os.path.exists(hold):
                await asyncio.sleep(0.05)

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        await self.hold("MAIL")
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        await self.hold("RCPT")
        envelope.rcpt_tos.append(address)
        envelope.rcpt_options.extend(rcpt_options)
        return "250 OK"

    async def handle_QUIT(self, server, session, envelope):
        await self.hold("QUIT")
        return "221 Bye"

    async def handle_DATA(self, server, session, envelope):
        if os.path.exists(os.path.join(self.directory, "fail")):
            return "451 4.3.0 Mailbox temporarily unavailable (test sink)"
        await self.hold("DATA")
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        text = message.get_body(("plain",))
        html = message.get_body(("html",))
        record = {
            "mailFrom": envelope.mail_from,
            "recipients": envelope.rcpt_tos,
            "from": str(message["from"]),
            "to": str(message["to"]),
            "subject": str(message["subject"]),
            "messageId": str(message["message-id"]),
            "date": str(message["date"]),
            "text": text.get_content() if text else None,
            "html": html.get_content() if html else None,
            "tls": session.ssl is not None,
        }
        self.count += 1
        path = os.path.join(self.directory, "%04d.json" % self.count)
        with open(path + ".tmp", "w", encoding="utf-8") as out:
            json.dump(record, out, ensure_ascii=False)
        os.replace(path + ".tmp", path)
        await self.hold("ACCEPTED")
        return "250 2.0.0 Accepted"


def certificate(directory):
    key = os.path.join(directory, "sink.key")
    cert = os.path.join(directory, "sink.crt")
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "2",
         "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return key, cert


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--dir", required=True)
    parser.add_argument("--starttls", action="store_true")
    arguments = parser.parse_args()
    os.makedirs(arguments.dir, exist_ok=True)

    from aiosmtpd.controller import Controller

    options = {}
    ca = None
    if arguments.starttls:
        import ssl
        key, ca = certificate(arguments.dir)
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(ca, key)
        options = {"tls_context": context, "require_starttls": True}
    port = free_port()
    controller = Controller(Sink(arguments.dir), hostname="127.0.0.1", port=port, server_hostname="localhost", **options)
    controller.start()
    print("PORT %d" % port, flush=True)
    if ca:
        print("CA %s" % ca, flush=True)
    try:
        # Ends with its parent: stdin closes when the test process that started it goes away.
        sys.stdin.read()
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
