// The address book: a customer's saved postal addresses, offered at checkout (issue 11, point 3). At most one
// default billing and one default shipping address per account.
export interface AddressBookTable {
  id: string;
  user_id: string;
  name: string;
  street: string;
  postal_code: string;
  city: string;
  /** ISO 3166-1 alpha-2. */
  country: string;
  /** 1 when this is the account's default billing address (the checkout's prefill). */
  default_billing: number;
  /** 1 when this is the account's default shipping address. */
  default_shipping: number;
  created_at: number;
  updated_at: number;
}

export interface AddressBookTables {
  address_book: AddressBookTable;
}
