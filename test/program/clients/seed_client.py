# A chat client in the style of the seed protocol's original program (docs/protocol.md):
# two threads, UDP broadcast to one port, NEW_CONNECTION== / EXISTING_CONNECTION== /
# name##text@@clock, and the vector printed before and after each event. It knows nothing
# of vcsim: test/program runs it under vcsim's Python shim.
import json
import socket
import sys
import threading

PORT = 7000
BROADCAST = ('127.255.255.255', PORT)
COUNT_RECEIVES = '--count-receives' in sys.argv
# The original prints its vector only around sends and receives; by default this client also
# prints it when it joins and learns a peer, so that every event's clock can be compared.
SILENT_HANDSHAKE = '--silent-handshake' in sys.argv


def show(*args):
    if not SILENT_HANDSHAKE:
        print(*args)


sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
sock.bind(('', PORT))

name = input('Enter your name: ')
vector_clock = {name: 0}
show('Vector after joining:', vector_clock)
sock.sendto(('NEW_CONNECTION==' + name).encode(), BROADCAST)


def receive_messages():
    while True:
        data, addr = sock.recvfrom(2048)
        message = data.decode()
        if 'NEW_CONNECTION==' in message:
            new_client = message.split('==')[1]
            if new_client != name:
                show('Vector before new connection:', vector_clock)
                vector_clock[new_client] = 0
                show('Vector after new connection:', vector_clock)
                sock.sendto(('EXISTING_CONNECTION==' + name).encode(), BROADCAST)
        elif 'EXISTING_CONNECTION==' in message:
            existing = message.split('==')[1]
            if existing != name:
                show('Vector before existing connection:', vector_clock)
                if existing not in vector_clock:
                    vector_clock[existing] = 0
                show('Vector after existing connection:', vector_clock)
        else:
            sender, rest = message.split('##')
            if sender != name:
                text, clock = rest.split('@@')
                received = json.loads(clock)
                print('Vector before receiving:', vector_clock)
                for key in received:
                    vector_clock[key] = max(vector_clock[key], received[key])
                if COUNT_RECEIVES:
                    vector_clock[name] += 1
                print(sender + ': ' + text)
                print('Vector after receiving:', vector_clock)


def send_messages():
    while True:
        text = input()
        if text:
            print('Vector before sending:', vector_clock)
            vector_clock[name] += 1
            sock.sendto((name + '##' + text + '@@' + json.dumps(vector_clock)).encode(), BROADCAST)
            print('Vector after sending:', vector_clock)


threading.Thread(target=receive_messages).start()
threading.Thread(target=send_messages).start()
