"""Each outbox message reaches the SMTP server once, even when its runner is killed mid-delivery.

For every step of a delivery, `jaga jobs run` is killed (SIGKILL) while the test mail server (`scripts/smtp-sink.py`)
withholds its answer at that step; a second runner, a day later by the portal's clock (so the first claim's lease has
ended), then does what is left. The message must arrive once, except when the kill falls after the server kept the
message and before its 250 reached the runner: RFC 5321 cannot close that window, so the message arrives twice,
with one Message-ID and one Date, which lets the receiving side see it is one message.
"""

import json
import os
import pathlib
import subprocess
import tempfile
import time

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BINARY = os.environ.get("JAGA_BINARY", str(ROOT / ".build" / "debug" / "jaga"))

# The step at which the runner dies, and how many copies the server then holds.
STEPS = {"MAIL": 1, "RCPT": 1, "DATA": 1, "ACCEPTED": 2, "QUIT": 1}


@pytest.fixture(scope="module")
def sink():
    directory = tempfile.mkdtemp(prefix="jaga-sink-")
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "python"), str(ROOT / "scripts" / "smtp-sink.py"), "--dir", directory],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(process.stdout.readline().split()[1])
    yield pathlib.Path(directory), port
    process.stdin.close()
    process.wait(timeout=10)


def jaga(env, *arguments, day, check=True):
    return subprocess.run(
        [BINARY, *arguments], cwd=ROOT, env={**env, "JAGA_TODAY": day}, capture_output=True, text=True,
        timeout=300, check=check)


def delivered(directory, recipient):
    messages = [json.loads(path.read_text()) for path in sorted(directory.glob("*.json"))]
    return [message for message in messages if message["recipients"] == [recipient]]


@pytest.mark.parametrize("step", list(STEPS))
def test_a_runner_killed_at_each_step_sends_the_message_once(sink, step):
    directory, port = sink
    data_dir = tempfile.mkdtemp(prefix="jaga-mail-once-")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({
        "JAGA_DATA_DIR": data_dir, "JAGA_SMTP_HOST": "127.0.0.1", "JAGA_SMTP_PORT": str(port),
        "JAGA_SMTP_SECURITY": "none", "JAGA_MAIL_FROM": "Jaga Stranas PK <noreply@stranas.test>",
    })
    recipient = f"{step.lower()}@penerima.test"
    jaga(env, "migrate", "-y", day="2026-11-30")
    jaga(env, "users", "create", "--email", recipient, "--role", "admin_setnas", day="2026-11-30")

    hold = directory / f"hold-{step}"
    held = directory / f"held-{step}"
    hold.touch()
    runner = subprocess.Popen(
        [BINARY, "jobs", "run"], cwd=ROOT, env={**env, "JAGA_TODAY": "2026-12-01"},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 120
    while not held.exists():
        assert runner.poll() is None, f"the runner ended before reaching {step}"
        assert time.monotonic() < deadline, f"the runner never reached {step}"
        time.sleep(0.05)
    runner.kill()
    runner.wait()
    hold.unlink()
    held.unlink()

    jaga(env, "jobs", "run", day="2026-12-02")
    messages = delivered(directory, recipient)
    assert len(messages) == STEPS[step], messages
    assert len({message["messageId"] for message in messages}) == 1
    assert len({message["date"] for message in messages}) == 1
    # Nothing is left to send: a third runner sends nothing more.
    jaga(env, "jobs", "run", day="2026-12-03")
    assert len(delivered(directory, recipient)) == STEPS[step]


def test_a_runner_stopped_with_sigterm_delivers_the_message_in_hand_and_takes_no_other(sink):
    """systemd stops `jaga jobs run` with SIGTERM: the delivery under way is finished, the next message waits."""
    directory, port = sink
    data_dir = tempfile.mkdtemp(prefix="jaga-mail-stop-")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    env.update({
        "JAGA_DATA_DIR": data_dir, "JAGA_SMTP_HOST": "127.0.0.1", "JAGA_SMTP_PORT": str(port),
        "JAGA_SMTP_SECURITY": "none", "JAGA_MAIL_FROM": "Jaga Stranas PK <noreply@stranas.test>",
    })
    first, second = "pertama@berhenti.test", "kedua@berhenti.test"
    jaga(env, "migrate", "-y", day="2026-11-30")
    jaga(env, "users", "create", "--email", first, "--role", "admin_setnas", day="2026-11-30")
    jaga(env, "users", "create", "--email", second, "--role", "admin_setnas", day="2026-11-30")

    hold, held = directory / "hold-DATA", directory / "held-DATA"
    hold.touch()
    runner = subprocess.Popen(
        [BINARY, "jobs", "run"], cwd=ROOT, env={**env, "JAGA_TODAY": "2026-12-01"},
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    deadline = time.monotonic() + 120
    while not held.exists():
        assert runner.poll() is None, "the runner ended before it sent anything"
        assert time.monotonic() < deadline, "the runner never reached DATA"
        time.sleep(0.05)
    runner.terminate()
    time.sleep(0.5)
    assert runner.poll() is None, "SIGTERM cut the delivery in hand short"
    hold.unlink()
    held.unlink()
    output, _ = runner.communicate(timeout=60)
    assert runner.returncode == 0, output
    assert "stopped early by SIGTERM" in output, output
    # One message went out (whichever the queue gave first), the other still waits.
    assert sorted([len(delivered(directory, first)), len(delivered(directory, second))]) == [0, 1]
    # The next pass sends the one left, and nothing twice.
    jaga(env, "jobs", "run", day="2026-12-01")
    assert len(delivered(directory, first)) == 1 and len(delivered(directory, second)) == 1
