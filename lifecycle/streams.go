package lifecycle

import (
	"context"
	"errors"
	"sync"
)

// ErrDraining is Streams.Open's answer once the drain has begun: answer
// 503, and the caller (Twilio) reconnects to another replica.
var ErrDraining = errors.New("draining: not taking new streams")

// Streams tracks long-lived connections that http.Server.Shutdown does
// not: a hijacked WebSocket is invisible to it. A stream handler calls
// Open when it starts and done when it ends, and watches draining:
//
//	ctx, draining, done, err := streams.Open(r.Context())
//	if err != nil { http.Error(w, "draining", http.StatusServiceUnavailable); return }
//	defer done()
//	... select on draining (finish the turn in hand, hand over, close)
//	... and on ctx.Done() (grace is over: close now)
//
// The zero value is ready to use.
type Streams struct {
	mu       sync.Mutex
	open     int
	draining chan struct{} // closed when the drain begins
	hard     context.Context
	hardStop context.CancelFunc // cancels every stream's ctx: grace is over
	idle     chan struct{}      // closed when open reaches 0 during a drain
}

func (s *Streams) init() {
	if s.draining == nil {
		s.draining = make(chan struct{})
		s.hard, s.hardStop = context.WithCancel(context.Background())
	}
}

// Open registers a stream. ctx is parent, also cancelled when the grace
// period ends; draining is closed when the drain begins; done must be
// called exactly once when the stream has ended.
func (s *Streams) Open(parent context.Context) (ctx context.Context, draining <-chan struct{}, done func(), err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.init()
	select {
	case <-s.draining:
		return nil, nil, nil, ErrDraining
	default:
	}
	s.open++
	ctx, cancel := context.WithCancel(parent)
	stop := context.AfterFunc(s.hard, cancel)
	var once sync.Once
	return ctx, s.draining, func() {
		once.Do(func() {
			stop()
			cancel()
			s.mu.Lock()
			defer s.mu.Unlock()
			s.open--
			if s.open == 0 && s.idle != nil {
				close(s.idle)
				s.idle = nil
			}
		})
	}, nil
}

// Len is the number of open streams.
func (s *Streams) Len() int {
	if s == nil {
		return 0
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.open
}

// Drain refuses new streams, tells open ones to drain, and waits until
// they have all ended or ctx ends; then it cancels the contexts of those
// still open and returns ctx's error.
func (s *Streams) Drain(ctx context.Context) error {
	s.mu.Lock()
	s.init()
	select {
	case <-s.draining:
	default:
		close(s.draining)
	}
	if s.open == 0 {
		s.mu.Unlock()
		return nil
	}
	if s.idle == nil {
		s.idle = make(chan struct{})
	}
	idle := s.idle
	s.mu.Unlock()
	select {
	case <-idle:
		return nil
	case <-ctx.Done():
		s.hardStop()
		return ctx.Err()
	}
}
