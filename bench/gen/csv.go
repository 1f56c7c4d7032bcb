package gen

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/caba1337/referralrules/referral"
)

// AccountantID writes a generated accountant number as in the CSV files:
// "a-0000042".
func AccountantID(id int) string { return string(appendID(nil, "a-", id, 7)) }

// ClientID writes a generated client number: "c-00000042".
func ClientID(id int) string { return string(appendID(nil, "c-", id, 8)) }

// PaymentID writes a generated payment number: "p-000000042".
func PaymentID(id int) string { return string(appendID(nil, "p-", id, 9)) }

func appendID(b []byte, prefix string, id, width int) []byte {
	b = append(b, prefix...)
	var buf [20]byte
	n := strconv.AppendInt(buf[:0], int64(id), 10)
	for range width - len(n) {
		b = append(b, '0')
	}
	return append(b, n...)
}

// CSVWriter is an Emitter that writes accountants.csv, clients.csv and
// payments.csv, with the headers of the program's data folder, into a
// folder.
type CSVWriter struct {
	files [3]*os.File
	w     [3]*bufio.Writer
	buf   []byte
}

// NewCSVWriter creates the three files in dir, which must exist.
func NewCSVWriter(dir string) (*CSVWriter, error) {
	cw := &CSVWriter{}
	names := [3]string{"accountants.csv", "clients.csv", "payments.csv"}
	headers := [3]string{
		"accountant_id,country,registered,activated_on\n",
		"client_id,accountant_id,linked_on,unlinked_on\n",
		"payment_id,client_id,paid_at,period_start,period_end,amount,currency,promotion,refunded_at\n",
	}
	for i, name := range names {
		f, err := os.Create(filepath.Join(dir, name))
		if err != nil {
			cw.Close()
			return nil, err
		}
		cw.files[i], cw.w[i] = f, bufio.NewWriterSize(f, 1<<20)
		cw.w[i].WriteString(headers[i])
	}
	return cw, nil
}

// Close flushes and closes the files, returning the first error.
func (cw *CSVWriter) Close() error {
	var first error
	for i, f := range cw.files {
		if f == nil {
			continue
		}
		if err := cw.w[i].Flush(); err != nil && first == nil {
			first = err
		}
		if err := f.Close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// Accountant writes a row of accountants.csv.
func (cw *CSVWriter) Accountant(a *Accountant) error {
	b := appendID(cw.buf[:0], "a-", a.ID, 7)
	b = append(b, ',')
	b = append(b, a.Country...)
	b = append(b, ',')
	b = strconv.AppendBool(b, a.Registered)
	b = append(b, ',')
	b = appendDate(b, a.ActivatedOn)
	b = append(b, '\n')
	cw.buf = b
	_, err := cw.w[0].Write(b)
	return err
}

// Client writes a row of clients.csv.
func (cw *CSVWriter) Client(c *Client) error {
	b := appendID(cw.buf[:0], "c-", c.ID, 8)
	b = append(b, ',')
	b = appendID(b, "a-", c.Accountant, 7)
	b = append(b, ',')
	b = appendDate(b, c.LinkedOn)
	b = append(b, ',')
	b = appendDate(b, c.UnlinkedOn)
	b = append(b, '\n')
	cw.buf = b
	_, err := cw.w[1].Write(b)
	return err
}

// Payment writes a row of payments.csv.
func (cw *CSVWriter) Payment(p *Payment) error {
	b := appendID(cw.buf[:0], "p-", p.ID, 9)
	b = append(b, ',')
	b = appendID(b, "c-", p.Client, 8)
	b = append(b, ',')
	b = appendInstant(b, p.PaidAt, p.Offset)
	b = append(b, ',')
	b = appendDate(b, p.PeriodStart)
	b = append(b, ',')
	b = appendDate(b, p.PeriodEnd)
	b = append(b, ',')
	b = appendAmount(b, p.Units, p.Cents)
	b = append(b, ',')
	b = append(b, p.Currency...)
	b = append(b, ',')
	b = append(b, p.Promotion...)
	b = append(b, ',')
	if !p.RefundedAt.IsZero() {
		b = appendInstant(b, p.RefundedAt, 0)
	}
	b = append(b, '\n')
	cw.buf = b
	_, err := cw.w[2].Write(b)
	return err
}

// appendAmount writes units of a two-digit currency: "89900.00" with its
// cents, "89900" without (only when they are zero).
func appendAmount(b []byte, units int64, cents bool) []byte {
	b = strconv.AppendInt(b, units/100, 10)
	if !cents {
		return b
	}
	return append(b, '.', byte('0'+units%100/10), byte('0'+units%10))
}

func appendDate(b []byte, d referral.Date) []byte {
	if d.IsZero() {
		return b
	}
	y, m, dd := d.Civil()
	return append(b, byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-', byte('0'+dd/10), byte('0'+dd%10))
}

// appendInstant writes t in RFC 3339 at offset hours from UTC, "Z" for 0.
func appendInstant(b []byte, t time.Time, offset int) []byte {
	if offset == 0 {
		return t.UTC().AppendFormat(b, "2006-01-02T15:04:05Z")
	}
	return t.In(time.FixedZone("", offset*3600)).AppendFormat(b, time.RFC3339)
}
