# vcsim's shim for Python socket programs (docs/programs.md, "The Python shim").
#
# Runs an unmodified program (python3 vcsim_shim.py client.py ARGS...) inside a vcsim run:
# it stands in for socket.socket (sendto, recvfrom, recv, bind, setsockopt, ...), input(),
# sys.stdin and sys.stdout, and speaks vcsim's node-program protocol on the real standard
# streams:
#   vcsim -> program   DGRAM <base64>        a datagram the simulated network delivers
#                      LINE <json string>    a line the node's user types (the first: its name)
#   program -> vcsim   TX <base64>           a datagram the program broadcasts (sendto)
#                      OUT <json string>     a line the program printed
#                      DIED <json object>    a thread ended with an uncaught exception
#                      IDLE                  every thread waits in recvfrom or input()
# vcsim writes one input only after IDLE, and the shim answers every input with IDLE once
# the program has finished with it, so the program runs only between an input and its IDLE.
import base64
import builtins
import collections
import json
import os
import runpy
import socket as _socket
import sys
import threading
import traceback

_proto_out = os.fdopen(os.dup(1), 'w', encoding='utf-8', newline='\n')
_proto_in = os.fdopen(os.dup(0), 'rb')
# The program's own writes to fd 1 or reads of fd 0 must not corrupt the protocol.
os.dup2(2, 1)
_devnull = os.open(os.devnull, os.O_RDONLY)
os.dup2(_devnull, 0)

_out_lock = threading.Lock()
_cond = threading.Condition()
_datagrams = collections.deque()
_lines = collections.deque()
_waiting = {}            # thread ident -> the deque it waits on
_receivers = set()       # thread idents that ever called recvfrom/recv
_main_done = threading.Event()
_reader = None


def _send(msg):
    with _out_lock:
        _proto_out.write(msg + '\n')
        _proto_out.flush()


def _wait_on(queue):
    me = threading.get_ident()
    with _cond:
        _waiting[me] = queue
        _cond.notify_all()
        while not queue:
            _cond.wait()
        del _waiting[me]
        return queue.popleft()


def _idle():
    for t in threading.enumerate():
        if t is _reader or not t.is_alive():
            continue
        if t is threading.main_thread() and _main_done.is_set():
            continue
        q = _waiting.get(t.ident)
        if q is None or q:
            return False
    return True


def _wait_idle():
    with _cond:
        while not _idle():
            _cond.wait(0.002)


def _read_inputs():
    _wait_idle()
    _send('IDLE')
    for raw in _proto_in:
        line = raw.decode('utf-8').rstrip('\n')
        kind, _, rest = line.partition(' ')
        with _cond:
            if kind == 'DGRAM':
                _datagrams.append(base64.b64decode(rest))
            elif kind == 'LINE':
                _lines.append(json.loads(rest))
            else:
                sys.stderr.write('vcsim shim: unknown input %r\n' % line[:80])
            _cond.notify_all()
        _wait_idle()
        _send('IDLE')
    os._exit(0)  # vcsim closed our input: the run is over


class _Stdout:
    """sys.stdout: each complete line becomes an OUT message."""
    encoding = 'utf-8'

    def __init__(self):
        self._buf = ''
        self._lock = threading.Lock()

    def write(self, s):
        with self._lock:
            self._buf += s
            while '\n' in self._buf:
                line, self._buf = self._buf.split('\n', 1)
                _send('OUT ' + json.dumps(line))
        return len(s)

    def partial(self):
        with self._lock:
            p, self._buf = self._buf, ''
            return p

    def flush(self):
        pass

    def isatty(self):
        return False


class _Stdin:
    """sys.stdin: readline() is input() with its newline."""
    def readline(self, *_):
        return _input() + '\n'

    def __iter__(self):
        while True:
            yield self.readline()

    def isatty(self):
        return False


def _input(prompt=''):
    text = sys.stdout.partial() + str(prompt) if isinstance(sys.stdout, _Stdout) else str(prompt)
    if text:
        _send('OUT ' + json.dumps(text))
    return _wait_on(_lines)


class FakeSocket:
    """socket.socket as vcsim's simulated broadcast network: every sendto is a broadcast."""

    def __init__(self, family=_socket.AF_INET, type=_socket.SOCK_DGRAM, proto=0, fileno=None):
        self.family, self.type, self.proto = family, type, proto
        self._port = 0

    def setsockopt(self, *args):
        pass

    def getsockopt(self, *args):
        return 1

    def bind(self, address):
        self._port = address[1] if isinstance(address, tuple) and len(address) > 1 else 0

    def settimeout(self, value):
        pass

    def setblocking(self, flag):
        pass

    def sendto(self, data, *args):
        _send('TX ' + base64.b64encode(bytes(data)).decode('ascii'))
        return len(data)

    def send(self, data, *args):
        return self.sendto(data)

    def recvfrom(self, bufsize, *args):
        _receivers.add(threading.get_ident())
        data = _wait_on(_datagrams)
        return data[:bufsize], ('127.0.0.1', self._port)

    def recv(self, bufsize, *args):
        return self.recvfrom(bufsize)[0]

    def close(self):
        pass

    def fileno(self):
        return -1

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _died(thread, exc_type, exc, tb):
    traceback.print_exception(exc_type, exc, tb, file=sys.stderr)
    receiver = thread is not None and thread.ident in _receivers
    _send('DIED ' + json.dumps({'receiver': receiver, 'thread': thread.name if thread else '', 'error': '%s: %s' % (exc_type.__name__, exc)}))


def main():
    global _reader
    if len(sys.argv) < 2:
        sys.stderr.write('usage: python3 vcsim_shim.py PROGRAM.py [ARGS...]\n')
        sys.exit(2)
    _socket.socket = FakeSocket
    builtins.input = _input
    sys.stdout = _Stdout()
    sys.stdin = _Stdin()
    threading.excepthook = lambda a: _died(a.thread, a.exc_type, a.exc_value, a.exc_traceback)
    _reader = threading.Thread(target=_read_inputs, name='vcsim-shim', daemon=True)
    _reader.start()
    sys.argv = sys.argv[1:]
    sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
    try:
        runpy.run_path(sys.argv[0], run_name='__main__')
    except SystemExit:
        raise
    except BaseException as e:  # noqa: BLE001: reported as the main thread's death
        _died(threading.main_thread(), type(e), e, e.__traceback__)
    finally:
        _main_done.set()


if __name__ == '__main__':
    main()
