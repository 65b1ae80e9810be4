package cli

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// slowBody sends n chunks, one every gap.
type slowBody struct {
	n   int
	gap time.Duration
}

func (b *slowBody) Read(p []byte) (int, error) {
	if b.n == 0 {
		return 0, io.EOF
	}
	b.n--
	time.Sleep(b.gap)
	return copy(p, "last_name\nDoe\n"), nil
}

// The answer timeout starts once the request is sent: an upload that takes
// longer than it still gets its answer, and a server that then keeps
// silent longer than it ends the exchange.
func TestTransportTimesTheAnswerNotTheUpload(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == "/silent" {
			time.Sleep(600 * time.Millisecond)
		}
		_, _ = io.WriteString(w, "ok")
	}))
	defer srv.Close()
	c, err := dial(&env{getenv: lookup(nil), err: io.Discard}, connFlags{url: srv.URL, token: "tok"})
	if err != nil {
		t.Fatal(err)
	}
	if c.http.Timeout != 0 || c.http.Transport.(*retrying).next.(*http.Transport).ResponseHeaderTimeout != responseTimeout {
		t.Fatalf("the client bounds the whole exchange (%s) or not the answer", c.http.Timeout)
	}
	client := &http.Client{Transport: newTransport(200 * time.Millisecond)}
	post := func(path string, body io.Reader) (*http.Response, error) {
		req, err := http.NewRequestWithContext(context.Background(), http.MethodPost, srv.URL+path, body)
		if err != nil {
			t.Fatal(err)
		}
		return client.Do(req)
	}
	start := time.Now()
	resp, err := post("/", &slowBody{n: 6, gap: 100 * time.Millisecond})
	if err != nil {
		t.Fatalf("a 600ms upload with a 200ms answer timeout: %v", err)
	}
	_ = resp.Body.Close()
	if d := time.Since(start); d < 500*time.Millisecond {
		t.Fatalf("upload took %s; the test needs it slower than the timeout", d)
	}
	if _, err := post("/silent", strings.NewReader("x")); err == nil || !strings.Contains(err.Error(), "timeout awaiting response headers") {
		t.Fatalf("a silent server: %v, want a response header timeout", err)
	}
}
