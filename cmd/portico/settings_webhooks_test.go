package main

import (
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

// testKey is a PORTICO_SECRET_KEY: 32 bytes in base64.
const testKey = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY="

// testWebhookSettings: without PORTICO_SECRET_KEY endpoints are refused
// (webhooks_not_configured); with it, but without
// PORTICO_WEBHOOK_ALLOW_PRIVATE, a loopback URL is refused; with both, a
// loopback receiver gets the test event, signed with the secret shown.
func testWebhookSettings(t *testing.T) {
	var mu sync.Mutex
	var bodies [][]byte
	var headers []http.Header
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies, headers = append(bodies, b), append(headers, r.Header.Clone())
		mu.Unlock()
	}))
	defer recv.Close()
	target := map[string]any{"url": recv.URL + "/hooks"}

	none := startBinary(t)
	if r := none.call("POST", "/api/v1/webhook-endpoints", target); r.status != 409 || r.json(t)["code"] != "webhooks_not_configured" {
		t.Fatalf("without PORTICO_SECRET_KEY: %d %s", r.status, r.body)
	}
	keyed := startBinary(t, "PORTICO_SECRET_KEY="+testKey)
	if r := keyed.call("POST", "/api/v1/webhook-endpoints", target); r.status != 422 {
		t.Fatalf("a loopback URL without PORTICO_WEBHOOK_ALLOW_PRIVATE: %d %s", r.status, r.body)
	}
	open := startBinary(t, "PORTICO_SECRET_KEY="+testKey, "PORTICO_WEBHOOK_ALLOW_PRIVATE=true")
	e := open.must(201, "POST", "/api/v1/webhook-endpoints", target)
	open.must(202, "POST", "/api/v1/webhook-endpoints/"+e["id"].(string)+"/test", nil)
	deadline := time.Now().Add(30 * time.Second)
	for {
		mu.Lock()
		n := len(bodies)
		mu.Unlock()
		if n > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the test event never arrived")
		}
		time.Sleep(20 * time.Millisecond)
	}
	wh, err := standardwebhooks.NewWebhook(e["secret"].(string))
	if err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if err := wh.Verify(bodies[0], headers[0]); err != nil {
		t.Fatalf("the delivery does not verify: %v", err)
	}
}
