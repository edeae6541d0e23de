"""Screenshot of Label Studio's labelling page in headless Chromium (Debian's `chromium`), logged
in as USER, so a person can look at Astrolabe's prediction preselected on a task.
usage: python screenshot.py LS_URL USER PASSWORD PROJECT TASK OUT.png
Talks to Chromium over the DevTools protocol with a minimal WebSocket client (standard library only)."""
import base64
import http.cookiejar
import json
import os
import socket
import struct
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request


def login(url, user, password):
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    opener.open(url + "/user/login/").read()
    csrf = next(c.value for c in jar if c.name == "csrftoken")
    body = urllib.parse.urlencode({"email": user, "password": password, "csrfmiddlewaretoken": csrf}).encode()
    opener.open(urllib.request.Request(url + "/user/login/", data=body, headers={"Referer": url + "/user/login/"})).read()
    return {c.name: c.value for c in jar}


class DevTools:
    def __init__(self, ws_url):
        parsed = urllib.parse.urlparse(ws_url)
        self.sock = socket.create_connection((parsed.hostname, parsed.port))
        key = base64.b64encode(os.urandom(16)).decode()
        self.sock.sendall((f"GET {parsed.path} HTTP/1.1\r\nHost: {parsed.netloc}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                           f"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\n\r\n").encode())
        response = b""
        while b"\r\n\r\n" not in response:
            response += self.sock.recv(1)
        self.next_id = 0

    def _recv_exact(self, n):
        data = b""
        while len(data) < n:
            data += self.sock.recv(n - len(data))
        return data

    def _frame(self):
        head = self._recv_exact(2)
        length = head[1] & 0x7F
        if length == 126:
            length = struct.unpack(">H", self._recv_exact(2))[0]
        elif length == 127:
            length = struct.unpack(">Q", self._recv_exact(8))[0]
        return self._recv_exact(length)

    def call(self, method, **params):
        self.next_id += 1
        payload = json.dumps({"id": self.next_id, "method": method, "params": params}).encode()
        mask = os.urandom(4)
        header = bytes([0x81]) + (bytes([0x80 | len(payload)]) if len(payload) < 126 else bytes([0x80 | 126]) + struct.pack(">H", len(payload)))
        self.sock.sendall(header + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload)))
        while True:
            message = json.loads(self._frame())
            if message.get("id") == self.next_id:
                return message.get("result", {})


def main(url, user, password, project, task, out):
    cookies = login(url, user, password)
    port = 9400 + os.getpid() % 500
    profile = tempfile.mkdtemp(prefix="astrolabe-chromium-")
    browser = subprocess.Popen(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--remote-debugging-port={port}",
                                f"--user-data-dir={profile}", "--window-size=1400,900", "about:blank"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                pages = json.load(urllib.request.urlopen(f"http://127.0.0.1:{port}/json"))
                page = next(p for p in pages if p["type"] == "page")
                break
            except Exception:
                time.sleep(0.2)
        tools = DevTools(page["webSocketDebuggerUrl"])
        host = urllib.parse.urlparse(url).hostname
        for name, value in cookies.items():
            tools.call("Network.setCookie", name=name, value=value, domain=host, path="/")
        tools.call("Page.enable")
        tools.call("Page.navigate", url=f"{url}/projects/{project}/data?tab=0&task={task}")
        time.sleep(12)
        shot = tools.call("Page.captureScreenshot", format="png")
        with open(out, "wb") as f:
            f.write(base64.b64decode(shot["data"]))
    finally:
        browser.terminate()
        browser.wait(10)


if __name__ == "__main__":
    main(*sys.argv[1:])
