// Package referral holds the data the program is computed from: the
// accountants, the client companies they referred, the payments of those
// clients and the service credit they redeemed, read from a folder of CSV
// files (ReadDir, ReadCSV), from JSON (ReadJSON) or built in code (New),
// and checked row by row against SPEC sections 5 and 7. Bad input is
// refused as Errors, each problem placed by file, line and column (or by a
// path such as "payments[3].amount"); nothing is half-read.
//
// A Dataset answers who counts as an active paid referral on a local day
// (Dataset.CountActive, Coverage) and gives package commission the rows
// it computes statements from. Days are civil Dates and months are Months,
// with no time zone: the zone is the accountant's country's (D3).
//
// # Size
//
// A Dataset is built for a whole country's data: millions of clients and
// tens of millions of payments. Accountants are kept as rows; clients and
// payments are kept in columns (see Columns): the ids of a column as one
// text, instants as Unix seconds, amounts as int64 minor units of their
// currency (with an exact fallback for amounts too large for that), and
// links between rows as int32 indexes. A payment costs about 60 bytes in
// memory against about 80 in CSV. Reading a folder sizes the columns from
// a count of each file's lines, checks increasing ids for duplicates
// without a hash table, and, for large files, splits the CSV records in a
// goroutine of its own ahead of the checks. The Client and Payment rows
// that Clients, Payments, ClientsOf and PaymentsOf return are built on each
// call, and code that walks every row should read Columns instead.
package referral
