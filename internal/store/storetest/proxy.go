package storetest

import (
	"net"
	"net/url"
	"sync"
	"testing"
)

// Proxy is a TCP proxy in front of the test PostgreSQL server that a test
// can switch into the failures of a real outage: Stall stops forwarding
// bytes while keeping every connection open (what a frozen server or a
// silent network looks like), Refuse drops every connection and refuses
// new ones (a stopped server), and Resume heals both.
type Proxy struct {
	t        testing.TB
	addr     string // the proxy's listening address, kept across Refuse
	upstream string

	mu      sync.Mutex
	ln      net.Listener
	refused bool // the listener is closed
	closed  bool // the test ended
	stalled bool
	resumed *sync.Cond // broadcast when stalled turns false
	conns   map[net.Conn]struct{}
}

// StartProxy listens on a free port of 127.0.0.1 and forwards each
// connection to upstream (host:port). It stops when the test ends.
func StartProxy(t testing.TB, upstream string) *Proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p := &Proxy{t: t, addr: ln.Addr().String(), upstream: upstream, ln: ln, conns: map[net.Conn]struct{}{}}
	p.resumed = sync.NewCond(&p.mu)
	go p.serve(ln)
	t.Cleanup(func() {
		p.mu.Lock()
		defer p.mu.Unlock()
		p.stalled, p.closed = false, true
		p.resumed.Broadcast()
		_ = p.ln.Close()
		p.dropLocked()
	})
	return p
}

// ProxiedPostgres creates a fresh database (as CreatePostgres) and
// returns its URL, the same URL through a new proxy, and the proxy.
func ProxiedPostgres(t testing.TB) (direct, proxied string, p *Proxy) {
	t.Helper()
	direct = CreatePostgres(t)
	u, err := url.Parse(direct)
	if err != nil {
		t.Fatal(err)
	}
	p = StartProxy(t, u.Host)
	u.Host = p.Addr()
	return direct, u.String(), p
}

// Addr is where the proxy listens.
func (p *Proxy) Addr() string { return p.addr }

// Stall stops forwarding: connections stay open, bytes stay put, new
// connections are accepted and hang.
func (p *Proxy) Stall() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stalled = true
}

// Refuse closes every connection and the listener, so that new
// connections are refused.
func (p *Proxy) Refuse() {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.ln.Close()
	p.refused = true
	p.dropLocked()
}

// Resume forwards again and, after Refuse, listens again on the same
// address.
func (p *Proxy) Resume() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stalled = false
	p.resumed.Broadcast()
	if !p.refused {
		return
	}
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		p.t.Errorf("proxy listen again on %s: %v", p.addr, err)
		return
	}
	p.ln, p.refused = ln, false
	go p.serve(ln)
}

func (p *Proxy) dropLocked() {
	for c := range p.conns {
		_ = c.Close()
	}
	clear(p.conns)
}

func (p *Proxy) serve(ln net.Listener) {
	for {
		client, err := ln.Accept()
		if err != nil {
			return // closed by Refuse or cleanup
		}
		go p.forward(client)
	}
}

func (p *Proxy) forward(client net.Conn) {
	p.track(client)
	p.waitWhileStalled()
	server, err := net.Dial("tcp", p.upstream)
	if err != nil {
		p.untrack(client)
		return
	}
	p.track(server)
	done := make(chan struct{}, 2)
	go func() { p.pipe(server, client); done <- struct{}{} }()
	go func() { p.pipe(client, server); done <- struct{}{} }()
	<-done // one side ended: end both
	p.untrack(client, server)
	<-done
}

// pipe copies src to dst, holding every chunk while the proxy is stalled.
func (p *Proxy) pipe(dst, src net.Conn) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 {
			p.waitWhileStalled()
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return // EOF, or a connection closed by the other side or by Refuse
		}
	}
}

func (p *Proxy) waitWhileStalled() {
	p.mu.Lock()
	defer p.mu.Unlock()
	for p.stalled {
		p.resumed.Wait()
	}
}

// track registers c for Refuse to close.
func (p *Proxy) track(c net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed {
		_ = c.Close() // the test is over: let the pipes end
		return
	}
	p.conns[c] = struct{}{}
}

func (p *Proxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		_ = c.Close()
		delete(p.conns, c)
	}
}
