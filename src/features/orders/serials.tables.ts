// Serial numbers of shipped hardware units: each row is one unit of one order line (its line number and,
// for a bundle, the hardware product inside it). A serial number belongs to one unit of one order only.

export interface OrderSerialsTable {
  id: string;
  order_id: string;
  /** The buyer (the order's customer), so the data map finds the rows of a person. */
  user_id: string;
  /** Index of the line in the order's `lines`. */
  line_no: number;
  product_id: string;
  serial: string;
  recorded_at: number;
}

export interface OrderSerialTables {
  order_serials: OrderSerialsTable;
}
