package httpapi

import (
	"bufio"
	"encoding/json"
	"errors"
	"io"
	"os"

	"github.com/portico/portico/internal/domain"
)

// spool holds an upload's checked rows: in memory up to keep rows (an
// import answered at once), in a temporary file beyond, so that a large
// upload is never held whole in memory.
type spool struct {
	keep int
	mem  []domain.ImportItem
	file *os.File
	w    *bufio.Writer
	enc  *json.Encoder
	n    int
}

func newSpool(keep int) *spool { return &spool{keep: keep} }

func (s *spool) add(it domain.ImportItem) error {
	s.n++
	if s.file == nil && len(s.mem) < s.keep {
		s.mem = append(s.mem, it)
		return nil
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "portico-import-*.jsonl")
		if err != nil {
			return err
		}
		s.file, s.w = f, bufio.NewWriterSize(f, 256<<10)
		s.enc = json.NewEncoder(s.w)
		for _, m := range s.mem {
			if err := s.enc.Encode(m); err != nil {
				return err
			}
		}
		s.mem = nil
	}
	return s.enc.Encode(it)
}

// small reports whether every row is in memory.
func (s *spool) small() bool { return s.file == nil }

// batches returns a reader of the rows in batches of size, in row order;
// an empty batch after the last.
func (s *spool) batches(size int) (func() ([]domain.ImportItem, error), error) {
	if s.file == nil {
		rest := s.mem
		return func() ([]domain.ImportItem, error) {
			n := min(size, len(rest))
			out := rest[:n]
			rest = rest[n:]
			return out, nil
		}, nil
	}
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bufio.NewReaderSize(s.file, 256<<10))
	return func() ([]domain.ImportItem, error) {
		var out []domain.ImportItem
		for len(out) < size {
			var it domain.ImportItem
			if err := dec.Decode(&it); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				return nil, err
			}
			out = append(out, it)
		}
		return out, nil
	}, nil
}

// close removes the temporary file, if any.
func (s *spool) close() {
	if s.file != nil {
		_ = s.file.Close()
		_ = os.Remove(s.file.Name())
	}
}
