package commission_test

import (
	"bytes"
	"encoding/csv"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/stretchr/testify/require"
)

// The statements of the demo data are the same, byte for byte in the flat
// CSV form, whichever way the dataset was made: read from its folder, read
// from the same CSV with every file's rows shuffled, built with
// referral.New from its rows shuffled, or read back from its JSON. Each
// path builds the columns from its own order of rows.
func TestStatementsSameByEveryPathToTheDataset(t *testing.T) {
	r := genRules(t)
	dir := filepath.Join("..", "examples", "data", "demo")
	from, to := referral.MonthOf(2024, time.January), referral.MonthOf(2026, time.December)
	flatOf := func(ds *referral.Dataset) string {
		sts, err := commission.Compute(r, ds, from, to)
		require.NoError(t, err)
		var st, ln bytes.Buffer
		require.NoError(t, commission.WriteCSV(&st, &ln, sts))
		return st.String() + ln.String()
	}
	read, err := referral.ReadDir(dir, r)
	require.NoError(t, err)
	want := flatOf(read)
	require.Greater(t, strings.Count(want, "\n"), 1000)

	rng := rand.New(rand.NewPCG(7, 11))
	var files [3]string
	for i, name := range []string{referral.AccountantsFile, referral.ClientsFile, referral.PaymentsFile} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
		require.NoError(t, err)
		rows := recs[1:]
		rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
		var out bytes.Buffer
		w := csv.NewWriter(&out)
		require.NoError(t, w.WriteAll(recs))
		files[i] = out.String()
	}
	shuffled, err := referral.ReadCSV(strings.NewReader(files[0]), strings.NewReader(files[1]),
		strings.NewReader(files[2]), r)
	require.NoError(t, err)
	require.Equal(t, want, flatOf(shuffled), "shuffled CSV")

	accs := append([]referral.Accountant(nil), read.Accountants()...)
	clients, pays := read.Clients(), read.Payments()
	rng.Shuffle(len(accs), func(i, j int) { accs[i], accs[j] = accs[j], accs[i] })
	rng.Shuffle(len(clients), func(i, j int) { clients[i], clients[j] = clients[j], clients[i] })
	rng.Shuffle(len(pays), func(i, j int) { pays[i], pays[j] = pays[j], pays[i] })
	built, err := referral.New(accs, clients, pays, r)
	require.NoError(t, err)
	require.Equal(t, want, flatOf(built), "referral.New")

	var js bytes.Buffer
	require.NoError(t, read.WriteJSON(&js))
	fromJSON, err := referral.ReadJSON(bytes.NewReader(js.Bytes()), r)
	require.NoError(t, err)
	require.Equal(t, want, flatOf(fromJSON), "JSON")
	var again bytes.Buffer
	require.NoError(t, fromJSON.WriteJSON(&again))
	require.Equal(t, js.String(), again.String(), "JSON written twice")
}
