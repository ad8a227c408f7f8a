// One basket per account, or per guest (found by the hash of a session-cookie token). Lines are JSON,
// written with optimistic locking (`version`), so the basket is one row in every dialect.

export interface BasketLine {
  productId: string;
  quantity: number;
}

/** What a form added, announced once on the next page. */
export interface AddedNotice {
  productId: string;
  quantity: number;
}

export interface BasketsTable {
  id: string;
  user_id: string | null;
  token_hash: string | null;
  /** JSON array of BasketLine. */
  lines: string;
  version: number;
  /** JSON AddedNotice: what the last add-to-basket form added, until the next page has said so (then null). */
  added_notice: string | null;
  created_at: number;
  updated_at: number;
}

export interface BasketTables {
  baskets: BasketsTable;
}
