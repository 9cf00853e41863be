package vault

import "fmt"

// PayloadCodecLabel names the payload codec key derived from the master key;
// payloads record the key id PayloadCodecLabel@<master key id>.
const PayloadCodecLabel = "payload"

// NewMasterPayloadCodec derives the deployment's payload codec from its
// master keys: the current master's codec key encodes, and the codec keys of
// previous masters (FRONTDESK_MASTER_KEY_PREVIOUS) still decode, so
// histories written before a master rotation stay readable while Temporal
// retains them. Clients, workers, replayers and the codec endpoint all
// build their codec here, so they agree.
func NewMasterPayloadCodec(master Key, previous ...Key) (*PayloadCodec, error) {
	cur, err := DeriveCodecKey(master, PayloadCodecLabel)
	if err != nil {
		return nil, err
	}
	older := make([]Key, 0, len(previous))
	for _, p := range previous {
		k, err := DeriveCodecKey(p, PayloadCodecLabel)
		if err != nil {
			return nil, fmt.Errorf("previous master key: %w", err)
		}
		if k.id != cur.id {
			older = append(older, k)
		}
	}
	ring, err := NewCodecKeyRing(cur, older...)
	if err != nil {
		return nil, err
	}
	return NewPayloadCodec(ring), nil
}
