package referralrules

import (
	"github.com/caba1337/referralrules/commission"
	"github.com/caba1337/referralrules/referral"
)

// Balance returns an accountant's service credit at the close of a local
// day of its country (D11): per currency, the nets of its statements
// payable by then, minus its redemptions made by then, with the movements
// that make it up, oldest first. A redemption by then that overdrew the
// balance is an error naming its row. See commission.BalanceOn.
func (p *Program) Balance(ds *referral.Dataset, accountantID string, day referral.Date) (*commission.Balance, error) {
	rules := p.Rules()
	return commission.BalanceOn(&rules, ds, accountantID, day)
}

// Redeem says how much of a purchase an accountant's credit pays on the
// purchase's day, and what remains to pay. See commission.Redeem.
func (p *Program) Redeem(ds *referral.Dataset, accountantID string, purchase commission.Purchase) (commission.Split, error) {
	rules := p.Rules()
	b, err := commission.BalanceOn(&rules, ds, accountantID, purchase.Day)
	if err != nil {
		return commission.Split{}, err
	}
	return commission.Redeem(&rules, b, purchase)
}

// CheckRedemptions checks every redemption of ds against the balance its
// accountant held at its instant. See commission.CheckRedemptions.
func (p *Program) CheckRedemptions(ds *referral.Dataset) error {
	rules := p.Rules()
	return commission.CheckRedemptions(&rules, ds)
}
