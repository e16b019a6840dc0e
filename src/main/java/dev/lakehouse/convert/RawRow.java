package dev.lakehouse.convert;

import org.apache.iceberg.data.GenericRecord;

/**
 * One change read from a raw file, already in the table's columns.
 *
 * @param op       'I', 'U', 'D', or 'L' for a full-load row without an Op column
 * @param sequence the change-sequence column's value ($AR_H_CHANGE_SEQ), or null
 * @param commitTs the timestamp column's value (source commit time of CDC rows), or null
 * @param row      the row image in the table schema (a D row may carry only the key)
 */
public record RawRow(char op, String sequence, String commitTs, GenericRecord row) {
}
