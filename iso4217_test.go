package referralrules

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestIsCurrency(t *testing.T) {
	tests := []struct {
		code string
		want bool
	}{
		{"COP", true}, {"DOP", true}, {"USD", true}, {"CRC", true}, {"EUR", true}, {"AED", true}, {"ZWG", true},
		{"cop", false}, {"CO", false}, {"COPX", false}, {"", false}, {"XXX", false}, {"XTS", false},
		{"XAU", false}, {"COU", false}, {"EUX", false}, {"P C", false}, {"D D", false}, {"DOP ", false},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			assert.Equal(t, tt.want, isCurrency(tt.code), "isCurrency(%q)", tt.code)
		})
	}
}

func TestCurrencyCodesSortedAndUnique(t *testing.T) {
	codes := strings.Fields(currencyCodes)
	assert.True(t, slices.IsSorted(codes))
	assert.Len(t, slices.Compact(slices.Clone(codes)), len(codes))
	assert.Equal(t, strings.Join(codes, " "), currencyCodes, "codes are single-space separated")
	for _, c := range codes {
		assert.Len(t, c, 3, c)
	}
}

// The schema offers editors the same currency codes the loader accepts.
func TestSchemaCurrencyCodes(t *testing.T) {
	var schema struct {
		Defs struct {
			CurrencyCode struct {
				Enum []string `json:"enum"`
			} `json:"currencyCode"`
		} `json:"$defs"`
	}
	data, err := os.ReadFile("rules.schema.json")
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(data, &schema))
	assert.Equal(t, strings.Fields(currencyCodes), schema.Defs.CurrencyCode.Enum)
}
