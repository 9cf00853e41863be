//go:build !linux

package embedded

import (
	"errors"
	"os"
)

const pipeChunk = 4096

func shrinkPipe(*os.File) error {
	return errors.New("the embedded recogniser needs Linux (pipe sizes)")
}
