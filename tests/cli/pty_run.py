#!/usr/bin/env python3
"""pty_run.py OUT ERR CMD...: runs CMD with its stdout on a pseudo-terminal (stdin /dev/null,
stderr to ERR), copies what it writes there to OUT (the terminal's \\r\\n made \\n again), and
exits with CMD's status. The command is bounded by the caller (timeout 20 CMD...)."""
import os
import pty
import subprocess
import sys

out_path, err_path, cmd = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
with open(err_path, "wb") as err:
    child = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=slave, stderr=err)
os.close(slave)
data = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: every writer of the terminal is gone
        break
    if not chunk:
        break
    data += chunk
status = child.wait()
with open(out_path, "wb") as out:
    out.write(data.replace(b"\r\n", b"\n"))
sys.exit(status if status >= 0 else 128 - status)
