// Package contract is the workflow contract of frontdesk's calls: the
// inputs and results of CallSession and FollowUp, the names of their
// Updates, Signals and Queries, status strings and error types. It is a
// leaf: workflows, activities, starter, api and voice import it, and it
// imports nothing of frontdesk's and no I/O package.
package contract
