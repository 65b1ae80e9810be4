package webhook

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/rand"
	"encoding/base64"
	"errors"

	"github.com/google/uuid"
)

// secretPrefix marks a signing secret, as Standard Webhooks suggests.
const secretPrefix = "whsec_"

// newSecret returns a fresh signing secret: whsec_ and 32 random bytes in
// base64, the form the Standard Webhooks libraries take.
func newSecret() string {
	key := make([]byte, 32)
	_, _ = rand.Read(key) // crypto/rand never fails
	return secretPrefix + base64.StdEncoding.EncodeToString(key)
}

// sealer encrypts signing secrets at rest with AES-256-GCM. The endpoint's
// id is the additional data, so that a sealed secret copied onto another
// row does not open.
type sealer struct{ aead cipher.AEAD }

func newSealer(key []byte) (*sealer, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, err
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		return nil, err
	}
	return &sealer{aead: aead}, nil
}

func (s *sealer) seal(secret string, id uuid.UUID) string {
	nonce := make([]byte, s.aead.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand never fails
	return base64.StdEncoding.EncodeToString(s.aead.Seal(nonce, nonce, []byte(secret), id[:]))
}

func (s *sealer) open(sealed string, id uuid.UUID) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil || len(raw) < s.aead.NonceSize() {
		return "", errors.New("sealed secret is malformed")
	}
	n := s.aead.NonceSize()
	plain, err := s.aead.Open(nil, raw[:n], raw[n:], id[:])
	if err != nil {
		return "", errors.New("the signing secret does not open with PORTICO_SECRET_KEY (was the key changed?)")
	}
	return string(plain), nil
}
