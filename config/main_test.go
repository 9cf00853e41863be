package config_test

import (
	"testing"

	"github.com/frontdesk/frontdesk/testenv"
)

func TestMain(m *testing.M) { testenv.Main(m) }
