package embedded

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// pipeChunk is how much pocketsphinx_continuous reads at a time: it
// fread()s 2048 samples of 16-bit audio per step (checked with strace on
// Debian's 0.8+5prealpha build: read(…, 4096) = 4096).
const pipeChunk = 4096

// shrinkPipe makes the pipe hold exactly one read of pocketsphinx. A write
// of one chunk then returns only once the reader has taken the previous
// chunk, which is how the stream knows how far pocketsphinx has got.
func shrinkPipe(w *os.File) error {
	sc, err := w.SyscallConn()
	if err != nil {
		return err
	}
	var size int
	var serr error
	err = sc.Control(func(fd uintptr) {
		if _, serr = unix.FcntlInt(fd, unix.F_SETPIPE_SZ, pipeChunk); serr != nil {
			return
		}
		size, serr = unix.FcntlInt(fd, unix.F_GETPIPE_SZ, 0)
	})
	if err == nil {
		err = serr
	}
	if err != nil {
		return fmt.Errorf("set pipe size: %w", err)
	}
	if size != pipeChunk {
		return fmt.Errorf("pipe size is %d bytes, want %d", size, pipeChunk)
	}
	return nil
}
