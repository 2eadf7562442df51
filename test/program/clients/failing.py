# Misbehaving node programs for test/program: each mode breaks the protocol in one way.
import socket
import sys
import threading
import time

mode = sys.argv[1]
name = input()
if mode == 'hang-on-send':
    input()
    while True:       # busy forever: never idle again
        time.sleep(0.01)
elif mode == 'exit-on-send':
    input()
    sys.stderr.write('giving up on purpose\n')
    sys.exit(3)
elif mode == 'sender-dies':
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)

    def receive():
        while True:
            sock.recvfrom(2048)

    def send():
        input()
        raise RuntimeError('the input thread broke')

    threading.Thread(target=receive).start()
    threading.Thread(target=send).start()
