"""RFC 6238 TOTP, written here from the RFC so the journeys can act as an authenticator app."""

import base64
import hashlib
import hmac
import struct
import time


def code(secret_base32: str, at: float | None = None, period: int = 30, digits: int = 6) -> str:
    secret = secret_base32.replace(" ", "").upper()
    key = base64.b32decode(secret + "=" * (-len(secret) % 8))
    counter = int((time.time() if at is None else at) // period)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(value % 10**digits).zfill(digits)


def wait_for_next_step(period: int = 30) -> None:
    """Sleeps into the next time step, so that a fresh code is not refused as a replay of the last one."""
    time.sleep(period - time.time() % period + 1)
