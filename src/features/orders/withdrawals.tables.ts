// Withdrawals from contracts (Art. 11a Consumer Rights Directive, § 356a BGB): each row is one declaration made
// with the account's withdrawal function, for some or all lines of one order. It is a business letter received
// and confirmed: kept, restricted after an erasure request, for the statutory period (withdrawals.data-map.ts).

export interface WithdrawnLine {
  /** Index of the line in the order's `lines`. */
  lineNo: number;
  productId: string;
  title: string;
  quantity: number;
}

export interface OrderWithdrawalsTable {
  id: string;
  order_id: string;
  user_id: string;
  /** JSON array of WithdrawnLine. */
  lines: string;
  /** What the customer chose to add (a withdrawal needs no reason); null when nothing. */
  statement: string | null;
  /** When the declaration was made (confirmed). */
  created_at: number;
  /** Set when the customer asked for erasure: kept only for the statutory period. */
  restricted_at: number | null;
}

export interface WithdrawalTables {
  order_withdrawals: OrderWithdrawalsTable;
}
