package referralrules

import (
	"cmp"
	"slices"
	"strings"

	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
	"github.com/shopspring/decimal"
)

// stKey finds one statement: accountant, month and currency.
type stKey struct {
	acc      string
	month    referral.Month
	currency string
}

// earnedKey is one month of one accountant under one version.
type earnedKey struct {
	v     *Program
	acc   string
	month referral.Month
}

// adjustAcrossVersions corrects the refund adjustments (D9) of sts, the
// statements of run r, whose payment was paid in a month under another
// version than r's: each becomes minus the share the payment earned under
// the version of its own month (see Statements). A file of one version
// has nothing to correct. Accountants keep refuses are left out, as
// they are of sts.
func (p *Program) adjustAcrossVersions(ds *referral.Dataset, r run,
	sts []commission.Statement, keep func(referral.Accountant) bool) ([]commission.Statement, error) {
	if len(p.Versions()) < 2 {
		return sts, nil
	}
	at := make(map[stKey]int, len(sts))
	for i, st := range sts {
		at[stKey{st.AccountantID, st.Month, st.Currency}] = i
	}
	earned := map[earnedKey][]commission.Statement{}
	changed := false
	cols, accs := ds.Columns(), ds.Accountants()
	for j, refund := range cols.Refund { // payments in the order of ds.Payments()
		if refund == 0 {
			continue // never refunded
		}
		acc := accs[cols.ClientAccountant[cols.PaymentClient[j]]]
		country, inProgram := r.v.countries[acc.Country]
		if !inProgram || !acc.Registered || (keep != nil && !keep(acc)) {
			continue
		}
		refundM := referral.DateIn(cols.Refunds[refund].Time(), country.Location).Month()
		paidM := referral.DateIn(cols.PaidAt[j].Time(), country.Location).Month()
		if refundM < r.from || refundM > r.to || paidM >= refundM {
			continue
		}
		v, err := p.At(paidM)
		if err != nil || v == r.v {
			continue // no version decided it, or the engine's answer is exact
		}
		pay := ds.Payment(j)
		share, err := p.shareEarned(ds, v, acc, paidM, pay.ID, earned)
		if err != nil {
			return nil, err
		}
		k := stKey{acc.ID, refundM, pay.Currency}
		sts = setAdjustment(sts, at, k, country.Currency, r, pay, share)
		changed = true
	}
	if !changed {
		return sts, nil
	}

	// Drop the extra-currency statements left with no line, and put any
	// new one in its place.
	sts = slices.DeleteFunc(sts, func(st commission.Statement) bool {
		home := r.v.countries[st.Country].Currency
		return st.Currency != home && len(st.Lines) == 0
	})
	slices.SortStableFunc(sts, byAccountantMonthCurrency)
	return sts, nil
}

// shareEarned returns the share payment id earned in its month m under
// version v (D8), 0 when it earned none or acc's country was not in v.
func (p *Program) shareEarned(ds *referral.Dataset, v *Program, acc referral.Accountant,
	m referral.Month, id string, cache map[earnedKey][]commission.Statement) (decimal.Decimal, error) {
	if _, ok := v.countries[acc.Country]; !ok {
		return decimal.Decimal{}, nil
	}
	k := earnedKey{v, acc.ID, m}
	sts, ok := cache[k]
	if !ok {
		rules := v.Rules()
		var err error
		if sts, err = commission.ForAccountant(&rules, ds, acc, m, m); err != nil {
			return decimal.Decimal{}, err
		}
		cache[k] = sts
	}
	for _, st := range sts {
		for _, ln := range st.Lines {
			if ln.PaymentID == id && ln.Reason == "" {
				return ln.Share, nil
			}
		}
	}
	return decimal.Decimal{}, nil
}

// setAdjustment makes the refund adjustment of pay in the statement k of
// sts minus share, dropping it when share is 0 (F8), and adds the
// statement, copied from the month's home-currency one, when it is missing.
func setAdjustment(sts []commission.Statement, at map[stKey]int, k stKey, home string, r run,
	pay referral.Payment, share decimal.Decimal) []commission.Statement {
	i, ok := at[k]
	if !ok {
		if share.IsZero() {
			return sts
		}
		h, ok := at[stKey{k.acc, k.month, home}]
		if !ok {
			return sts // unreachable: the home statement always exists (F9)
		}
		st := sts[h]
		st.Currency, st.Digits = k.currency, r.v.currencies[k.currency]
		st.Base, st.Commission, st.Adjustments, st.Net, st.Lines = decimal.Zero, decimal.Zero,
			decimal.Zero, decimal.Zero, nil
		sts = append(sts, st)
		i = len(sts) - 1
		at[k] = i
	}
	st := &sts[i]
	lines := slices.DeleteFunc(slices.Clone(st.Lines), func(ln commission.Line) bool {
		return ln.Reason == commission.RefundAdjustment && ln.PaymentID == pay.ID
	})
	if !share.IsZero() {
		lines = append(lines, commission.Line{PaymentID: pay.ID, ClientID: pay.ClientID,
			Amount: pay.Amount, Share: share.Neg(), Reason: commission.RefundAdjustment})
	}
	slices.SortStableFunc(lines, func(a, b commission.Line) int {
		aa, ba := a.Reason == commission.RefundAdjustment, b.Reason == commission.RefundAdjustment
		if aa != ba {
			return cmp.Compare(boolInt(aa), boolInt(ba)) // payment lines first (F11)
		}
		if !aa {
			return 0 // payment lines keep their order
		}
		return strings.Compare(a.PaymentID, b.PaymentID)
	})
	st.Lines = lines
	st.Adjustments = decimal.Zero
	for _, ln := range lines {
		if ln.Reason == commission.RefundAdjustment {
			st.Adjustments = st.Adjustments.Add(ln.Share)
		}
	}
	st.Net = st.Commission.Add(st.Adjustments)
	return sts
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
