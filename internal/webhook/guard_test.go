package webhook

import (
	"context"
	"net/netip"
	"testing"
	"time"

	"github.com/google/uuid"
)

func TestForbidden(t *testing.T) {
	for _, tc := range []struct {
		ip   string
		want bool
	}{
		{"127.0.0.1", true}, {"127.1.2.3", true}, {"::1", true}, {"10.0.0.1", true}, {"172.16.5.4", true},
		{"192.168.0.1", true}, {"169.254.169.254", true}, {"fe80::1", true}, {"fd00:ec2::254", true},
		{"224.0.0.251", true}, {"ff02::1", true}, {"0.0.0.0", true}, {"::", true}, {"100.100.100.200", true},
		{"255.255.255.255", true}, {"::ffff:127.0.0.1", true}, {"::ffff:10.0.0.1", true},
		{"93.184.215.14", false}, {"8.8.8.8", false}, {"2606:4700:4700::1111", false}, {"172.32.0.1", false},
		// IPv6 that carries IPv4 is judged by the IPv4 address: NAT64 …
		{"64:ff9b::7f00:1", true}, {"64:ff9b::169.254.169.254", true}, {"64:ff9b::10.1.2.3", true}, {"64:ff9b::8.8.8.8", false},
		// … 6to4 …
		{"2002:7f00:1::1", true}, {"2002:a9fe:a9fe::", true}, {"2002:c0a8:101::1", true}, {"2002:808:808::1", false},
		// … IPv4-compatible and IPv4-translated
		{"::127.0.0.1", true}, {"::10.0.0.1", true}, {"::8.8.8.8", false},
		{"::ffff:0:127.0.0.1", true}, {"::ffff:0:169.254.169.254", true}, {"::ffff:0:8.8.8.8", false},
		// local-use NAT64, Teredo and site-local are refused whatever they carry
		{"64:ff9b:1::808:808", true}, {"2001:0:4136:e378:8000:63bf:3fff:fdd2", true}, {"2001::1", true},
		{"fec0::1", true}, {"feff::1", true},
		{"2001:4860:4860::8888", false}, {"2a00:1450:4001::200e", false},
	} {
		if got := forbidden(netip.MustParseAddr(tc.ip)); got != tc.want {
			t.Errorf("forbidden(%s) = %v, want %v", tc.ip, got, tc.want)
		}
	}
}

func TestControlRefusesAtConnect(t *testing.T) {
	g := guard{}
	if err := g.control("tcp", "127.0.0.1:80", nil); err == nil {
		t.Fatal("loopback allowed at connect")
	}
	if err := g.control("tcp", "[fe80::1]:443", nil); err == nil {
		t.Fatal("link-local allowed at connect")
	}
	if err := g.control("tcp", "93.184.215.14:443", nil); err != nil {
		t.Fatalf("public refused: %v", err)
	}
	if err := (guard{allowPrivate: true}).control("tcp", "127.0.0.1:80", nil); err != nil {
		t.Fatalf("allowPrivate refused loopback: %v", err)
	}
}

func TestCheckURLShape(t *testing.T) {
	g := guard{allowPrivate: true}
	for _, bad := range []string{"", "ftp://x.example/", "x.example/hooks", "http://", "http://user:pw@x.example/", "javascript:alert(1)"} {
		if err := g.checkURL(context.Background(), bad); err == nil {
			t.Errorf("%q accepted", bad)
		}
	}
	if err := g.checkURL(context.Background(), "http://127.0.0.1:8080/hooks"); err != nil {
		t.Errorf("allowPrivate refused loopback: %v", err)
	}
}

// The schedule grows ×4 from its base, stops at its cap, stays within
// ±20%, is the same for the same job and attempt, and spreads the default
// 17 attempts over about three days.
func TestSchedule(t *testing.T) {
	s := DefaultSchedule
	var total time.Duration
	for n := 1; n < s.Attempts; n++ {
		nominal := min(s.Base<<(2*(n-1)), s.Cap)
		if n > 12 {
			nominal = s.Cap
		}
		d := s.Delay(42, n)
		if d < nominal*8/10 || d > nominal*12/10 {
			t.Errorf("attempt %d: %v, want %v ±20%%", n, d, nominal)
		}
		if d != s.Delay(42, n) {
			t.Errorf("attempt %d: the jitter is not stable", n)
		}
		total += d
	}
	if total < 60*time.Hour || total > 96*time.Hour {
		t.Errorf("16 waits total %v, want about three days", total)
	}
	spread := map[time.Duration]bool{}
	for job := range int64(20) {
		spread[s.Delay(job, 3)] = true
	}
	if len(spread) < 10 {
		t.Errorf("jitter barely varies across jobs: %d distinct waits", len(spread))
	}
}

func TestSealer(t *testing.T) {
	s, err := newSealer([]byte("0123456789abcdef0123456789abcdef"))
	if err != nil {
		t.Fatal(err)
	}
	id, other := uuid.New(), uuid.New()
	secret := newSecret()
	sealed := s.seal(secret, id)
	if sealed == s.seal(secret, id) {
		t.Fatal("two seals of one secret are equal: the nonce is not fresh")
	}
	if got, err := s.open(sealed, id); err != nil || got != secret {
		t.Fatalf("open: %q, %v", got, err)
	}
	if _, err := s.open(sealed, other); err == nil {
		t.Fatal("a sealed secret opened for another endpoint")
	}
	wrong, _ := newSealer([]byte("fedcba9876543210fedcba9876543210"))
	if _, err := wrong.open(sealed, id); err == nil {
		t.Fatal("opened with another key")
	}
}

func TestExcerpt(t *testing.T) {
	for in, want := range map[string]string{"héllo\xc3": "héllo", "a\xffb": "a\uFFFDb", "ok": "ok", "": "", "\xe2\x82": "",
		"a\x00b\x00": "a\uFFFDb\uFFFD", "\x00": "\uFFFD"} {
		if got := excerpt([]byte(in)); got != want {
			t.Errorf("excerpt(%q) = %q, want %q", in, got, want)
		}
	}
}
