package commission

import (
	"encoding/csv"
	"io"
	"strconv"

	"github.com/shopspring/decimal"
)

// StatementsHeader and LinesHeader are the columns of the flat CSV form of
// statements (statements.csv and lines.csv).
var (
	StatementsHeader = []string{"accountant_id", "month", "currency", "level",
		"active_paid_referrals", "rate", "base", "commission", "adjustments", "net",
		"payable_month", "reason"}
	LinesHeader = []string{"accountant_id", "month", "currency", "payment_id", "client_id",
		"amount", "share", "reason"}
)

// WriteCSV writes sts in the flat CSV form: one row per statement to
// statements and one row per line to lines, each with its header. The rate
// is a normalised fraction ("0.1", "0.15", "0") and amounts have exactly
// the currency's minor digits (F12). Rows keep the order of sts.
func WriteCSV(statements, lines io.Writer, sts []Statement) error {
	sw, lw := csv.NewWriter(statements), csv.NewWriter(lines)
	if err := sw.Write(StatementsHeader); err != nil {
		return err
	}
	if err := lw.Write(LinesHeader); err != nil {
		return err
	}
	rec := make([]string, len(LinesHeader)) // csv.Writer copies a record: one buffer does for all
	for i := range sts {
		st := &sts[i]
		if err := sw.Write(st.record()); err != nil {
			return err
		}
		month := st.Month.String()
		for j := range st.Lines {
			ln := &st.Lines[j]
			rec[0], rec[1], rec[2], rec[3], rec[4] = st.AccountantID, month, st.Currency, ln.PaymentID, ln.ClientID
			rec[5], rec[6], rec[7] = st.money(ln.Amount), st.money(ln.Share), string(ln.Reason)
			if err := lw.Write(rec); err != nil {
				return err
			}
		}
	}
	sw.Flush()
	lw.Flush()
	if err := sw.Error(); err != nil {
		return err
	}
	return lw.Error()
}

func (st *Statement) record() []string {
	return []string{
		st.AccountantID, st.Month.String(), st.Currency, strconv.Itoa(st.Level),
		strconv.Itoa(st.ActivePaidReferrals), st.Rate.String(),
		st.money(st.Base), st.money(st.Commission), st.money(st.Adjustments), st.money(st.Net),
		st.PayableMonth.String(), string(st.Reason),
	}
}

// money writes an amount with exactly the statement currency's minor
// digits; decimal has no negative zero, so "-0.00" cannot appear.
func (st *Statement) money(d decimal.Decimal) string { return money(d, st.Digits) }
