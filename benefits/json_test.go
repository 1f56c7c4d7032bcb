package benefits_test

import (
	"encoding/json"
	"testing"

	"github.com/caba1337/referralrules"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestAnswerJSON(t *testing.T) {
	b, err := json.Marshal(approvedAt(t, "CO", 9))
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"accountant_id": "acc", "day": "2026-11-20", "status": "approved", "rules_version": "2026.1",
		"listed": true, "registered": true, "country": "CO",
		"level": 2, "active_paid_referrals": 9, "missing_for_level_1": 0,
		"next_level": 3, "missing_for_next_level": 4,
		"benefits": ["support_basic", "academy", "workspace", "network_access", "network_enrolment"],
		"terms": {"rate": "0.15", "currency": "COP", "payout": "service_credit", "payout_delay_months": 1,
			"first_payable_month": "2026-12", "window_months": 12, "grace_days": 0, "require_activation": true},
		"clients": {"clients": 11, "counted": 9,
			"not_counted": [{"reason": "lapsed", "clients": 1}, {"reason": "refunded", "clients": 1}]},
		"recoverable_clients": [
			{"client_id": "acc-lapsed", "counted": false, "reason": "lapsed", "since": "2026-11-01"},
			{"client_id": "acc-refunded", "counted": false, "reason": "refunded"}]
	}`, string(b))
}

func TestAnswerJSONNotRegistered(t *testing.T) {
	var f fixture
	f.accountant("x", "CO", false, 3, "COP")
	a, err := referralrules.Default().Evaluate(f.dataset(t), "x", requestDay)
	require.NoError(t, err)
	b, err := json.Marshal(a)
	require.NoError(t, err)
	assert.JSONEq(t, `{
		"accountant_id": "x", "day": "2026-11-20", "status": "not_registered", "rules_version": "2026.1",
		"listed": true, "registered": false, "country": "CO",
		"level": 0, "active_paid_referrals": 0, "missing_for_level_1": 0,
		"next_level": 0, "missing_for_next_level": 0, "benefits": [],
		"clients": {"clients": 0, "counted": 0, "not_counted": []}, "recoverable_clients": []
	}`, string(b))
}
