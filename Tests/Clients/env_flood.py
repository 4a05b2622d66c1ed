"""A scripted SSH client that floods the gateway with environment requests before any session:
`env_flood.py PORT COUNT`. Each connection logs in with `none`, opens a session channel and sends
`env` requests (no reply wanted, so as fast as the link takes them) until the gateway closes it
or COUNT have been sent in all; then it connects again. Prints `sent N over M connections`."""
import socket
import sys

import paramiko
from paramiko.common import cMSG_CHANNEL_REQUEST
from paramiko.message import Message


def flood(port: int, count: int) -> None:
    sent = 0
    connections = 0
    while sent < count and connections < 5000:
        connections += 1
        sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        transport = paramiko.Transport(sock)
        try:
            transport.start_client(timeout=10)
            transport.auth_none(f"flood{connections}")
            channel = transport.open_session(timeout=10)
            while sent < count and transport.is_active() and not channel.closed:
                message = Message()
                message.add_byte(cMSG_CHANNEL_REQUEST)
                message.add_int(channel.remote_chanid)
                message.add_string("env")
                message.add_boolean(False)
                # Names are [A-Z_]: LC_ and the count in letters, so each is a new entry.
                message.add_string("LC_" + "".join(chr(65 + int(digit)) for digit in str(sent)))
                message.add_string("x" * 60)
                transport._send_user_message(message)
                sent += 1
        except (paramiko.SSHException, OSError, EOFError):
            pass
        finally:
            transport.close()
    print(f"sent {sent} over {connections} connections")


if __name__ == "__main__":
    flood(int(sys.argv[1]), int(sys.argv[2]))
