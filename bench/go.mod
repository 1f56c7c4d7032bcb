module github.com/caba1337/referralrules/bench

go 1.26

require (
	github.com/caba1337/referralrules v0.0.0
	github.com/shopspring/decimal v1.4.0
)

replace github.com/caba1337/referralrules => ../
