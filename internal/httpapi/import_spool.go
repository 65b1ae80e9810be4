package httpapi

import (
	"bufio"
	"errors"
	"io"
	"os"

	"github.com/portico/portico/internal/domain"
)

// spool holds an upload's checked rows: in memory up to keep rows (an
// import answered at once), beyond that in a temporary file, encoded in
// chunks of chunkRows as an import job stores them, so that a large
// upload is never held whole in memory and each row is encoded once.
type spool struct {
	keep, chunkRows int
	mem             []domain.ImportItem // every row while small, else the chunk being filled
	file            *os.File
	w               *bufio.Writer
	chunks          []domain.EncodedImportChunk // bounds of the chunks in the file (payloads not kept)
	n               int
}

func newSpool(keep, chunkRows int) *spool { return &spool{keep: keep, chunkRows: chunkRows} }

func (s *spool) add(it domain.ImportItem) error {
	s.n++
	s.mem = append(s.mem, it)
	if s.file == nil && len(s.mem) <= s.keep {
		return nil
	}
	if s.file == nil {
		f, err := os.CreateTemp("", "portico-import-*.jsonl")
		if err != nil {
			return err
		}
		s.file, s.w = f, bufio.NewWriterSize(f, 256<<10)
	}
	for len(s.mem) >= s.chunkRows {
		if err := s.flush(s.chunkRows); err != nil {
			return err
		}
	}
	return nil
}

// flush encodes the first n rows in memory as one chunk of the file.
func (s *spool) flush(n int) error {
	c, err := domain.EncodeImportChunk(s.mem[:n])
	if err != nil {
		return err
	}
	if _, err := s.w.Write(append(c.Payload, '\n')); err != nil {
		return err
	}
	c.Payload = nil
	s.chunks = append(s.chunks, c)
	s.mem = append(s.mem[:0], s.mem[n:]...)
	return nil
}

// small reports whether every row is in memory.
func (s *spool) small() bool { return s.file == nil }

// encoded returns a reader of the rows as encoded chunks, in row order;
// nil after the last.
func (s *spool) encoded() (func() (*domain.EncodedImportChunk, error), error) {
	if s.file == nil {
		rest := s.mem
		return func() (*domain.EncodedImportChunk, error) {
			if len(rest) == 0 {
				return nil, nil
			}
			n := min(s.chunkRows, len(rest))
			c, err := domain.EncodeImportChunk(rest[:n])
			rest = rest[n:]
			return &c, err
		}, nil
	}
	if len(s.mem) > 0 {
		if err := s.flush(len(s.mem)); err != nil {
			return nil, err
		}
	}
	if err := s.w.Flush(); err != nil {
		return nil, err
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, err
	}
	r := bufio.NewReaderSize(s.file, 1<<20)
	i := 0
	return func() (*domain.EncodedImportChunk, error) {
		if i == len(s.chunks) {
			return nil, nil
		}
		line, err := r.ReadBytes('\n')
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, err
		}
		c := s.chunks[i]
		c.Payload = line[:len(line)-1]
		i++
		return &c, nil
	}, nil
}

// close removes the temporary file, if any.
func (s *spool) close() {
	if s.file != nil {
		_ = s.file.Close()
		_ = os.Remove(s.file.Name())
	}
}
