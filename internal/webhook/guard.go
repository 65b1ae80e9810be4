package webhook

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"

	"github.com/portico/portico/internal/domain"
)

// Resolver looks host names up; net.DefaultResolver is one.
type Resolver interface {
	LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error)
}

// blocked are ranges no webhook may reach unless private targets are
// allowed, beyond what netip classifies: shared address space (some
// clouds' metadata services live there), "this network", broadcast, and
// on IPv6 site-local, Teredo (its client address is obscured, its relay
// unknown) and local-use NAT64, whose mapping is the network's own.
var blocked = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("255.255.255.255/32"),
	netip.MustParsePrefix("fec0::/10"),
	netip.MustParsePrefix("2001::/32"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
}

// embedding are IPv6 ranges that carry an IPv4 address, and where: a
// connection to one of them may reach that IPv4 address (through a NAT64
// or 6to4 gateway, or a stack that translates), so it is judged by it.
var embedding = []struct {
	prefix netip.Prefix
	at     int // byte offset of the IPv4 address
}{
	{netip.MustParsePrefix("64:ff9b::/96"), 12},    // NAT64 well-known prefix
	{netip.MustParsePrefix("::ffff:0:0:0/96"), 12}, // IPv4-translated (SIIT)
	{netip.MustParsePrefix("::/96"), 12},           // IPv4-compatible, deprecated
	{netip.MustParsePrefix("2002::/16"), 2},        // 6to4
}

// embeddedIPv4 returns the IPv4 address ip carries, if it is in one of
// the embedding ranges (IPv4-mapped addresses are unmapped before).
func embeddedIPv4(ip netip.Addr) (netip.Addr, bool) {
	if !ip.Is6() {
		return netip.Addr{}, false
	}
	b := ip.As16()
	for _, e := range embedding {
		if e.prefix.Contains(ip) {
			return netip.AddrFrom4([4]byte(b[e.at : e.at+4])), true
		}
	}
	return netip.Addr{}, false
}

// forbidden reports whether ip is loopback, private, link-local (which
// holds the cloud metadata address 169.254.169.254), multicast,
// unspecified or otherwise not a public unicast address; an IPv6 address
// carrying an IPv4 one is judged by the IPv4 address.
func forbidden(ip netip.Addr) bool {
	ip = ip.Unmap()
	if v4, ok := embeddedIPv4(ip); ok {
		return forbidden(v4)
	}
	if ip.IsLoopback() || ip.IsPrivate() || ip.IsLinkLocalUnicast() || ip.IsLinkLocalMulticast() ||
		ip.IsInterfaceLocalMulticast() || ip.IsMulticast() || ip.IsUnspecified() || !ip.IsValid() {
		return true
	}
	for _, p := range blocked {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

// errForbiddenTarget is a connection refused by the address rule.
var errForbiddenTarget = errors.New("the address is loopback, private, link-local, multicast or a cloud metadata address; set PORTICO_WEBHOOK_ALLOW_PRIVATE=true to allow it")

// guard applies the target rules: http(s) URLs only, and no private
// address, both when an endpoint is saved and at every connection (so a
// name that later resolves elsewhere, DNS rebinding, is refused too).
type guard struct {
	allowPrivate bool
	resolver     Resolver
}

// checkURL refuses a URL that may not receive webhooks, as a field error.
func (g guard) checkURL(ctx context.Context, raw string) error {
	fail := func(code, msg string) error {
		return domain.Invalid("validation_failed", "url: "+msg, domain.FieldError{Field: "url", Code: code, Message: msg})
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || u.Hostname() == "" {
		return fail("url", "must be an absolute http or https URL")
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fail("url", "scheme "+u.Scheme+" is not http or https")
	}
	if u.User != nil {
		return fail("url", "must not carry a user name or password")
	}
	if g.allowPrivate {
		return nil
	}
	addrs, err := g.lookup(ctx, u.Hostname())
	if err != nil {
		return fail("unresolvable", "host "+u.Hostname()+" does not resolve: "+err.Error())
	}
	for _, a := range addrs {
		if forbidden(a) {
			return fail("private_address", "host "+u.Hostname()+" resolves to "+a.String()+", a loopback, private, link-local, multicast or metadata address")
		}
	}
	return nil
}

func (g guard) lookup(ctx context.Context, host string) ([]netip.Addr, error) {
	if ip, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{ip}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return g.resolver.LookupNetIP(ctx, "ip", host)
}

// control runs on every socket before it connects, on the address
// actually dialled.
func (g guard) control(_, address string, _ syscall.RawConn) error {
	if g.allowPrivate {
		return nil
	}
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", address, err)
	}
	if forbidden(ap.Addr()) {
		return fmt.Errorf("connect to %s: %w", ap.Addr(), errForbiddenTarget)
	}
	return nil
}

// client is the HTTP client of deliveries: the guard at every connection,
// no proxy (the guard must see the real target), no redirects followed,
// and one bound for the whole exchange.
func (g guard) client(timeout time.Duration) *http.Client {
	dialer := &net.Dialer{Timeout: timeout, Control: g.control}
	transport := &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, port, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, err
			}
			addrs, err := g.lookup(ctx, host)
			if err != nil {
				return nil, err
			}
			var errs []error
			for _, a := range addrs {
				conn, err := dialer.DialContext(ctx, network, net.JoinHostPort(a.String(), port))
				if err == nil {
					return conn, nil
				}
				errs = append(errs, err)
			}
			return nil, errors.Join(errs...)
		},
		TLSHandshakeTimeout:   timeout,
		ResponseHeaderTimeout: timeout,
		MaxIdleConnsPerHost:   4,
		IdleConnTimeout:       90 * time.Second,
		ForceAttemptHTTP2:     true,
	}
	return &http.Client{
		Transport:     transport,
		Timeout:       timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}
