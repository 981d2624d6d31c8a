/**
 * Ledger stores: {@code memory} ({@link org.ledgergossip.ledger.MemoryLedgerStoreProvider}, for
 * tests) and {@code file} ({@link org.ledgergossip.ledger.FileLedgerStoreProvider}, the embedded
 * default).
 *
 * <h2>On-disk format of {@code file}</h2>
 *
 * <p>A ledger directory holds a {@code LOCK} file (the single-writer lock; it contains the owner's
 * process id) and segments, each a pair of files named after the number of its first block in 20
 * decimal digits: {@code blocks-00000000000000000000.seg} (data) and {@code
 * blocks-00000000000000000000.idx} (index). Segment {@code k} holds blocks from its first number up
 * to the first number of segment {@code k+1}, without gaps; only the last segment is appended to.
 * All integers are big-endian.
 *
 * <pre>
 * data file   = file header, record*
 * file header = magic u32 0x4C474C53 ("LGLS"), version u32 = 1
 * record      = length u32          bytes of payload
 *               number u64          the block number
 *               payloadCrc u32      CRC32C of payload
 *               headerCrc u32       CRC32C of the 16 bytes before it
 *               payload             Fabric's common.Block protobuf (header number, previous_hash,
 *                                   data_hash; data entries; metadata entries)
 * index file  = offset u64 per block of the segment: where its record starts in the data file
 * </pre>
 *
 * <p><b>Appending</b> writes the record at the end of the last data file, then its index entry,
 * then (per the fsync policy) forces the data file, then publishes the new height. A segment is
 * sealed (both files forced unless fsync is {@code never}) when the next record would pass the
 * segment size; the next segment starts with the next block.
 *
 * <p><b>Reading</b> {@code get(n)} and {@code range(a, b)} find the segment by first number, read
 * the offsets from the index file and then only the records asked for, checking both checksums and
 * the number; a mismatch is a {@link org.ledgergossip.spi.ledger.LedgerException} naming the file
 * and byte offset. Nothing else of the ledger is loaded.
 *
 * <p><b>Recovery on open.</b> The last segment is scanned record by record. Its tail is <em>torn
 * </em>, and cut off (logged at WARN), if it is a partial record header, a record whose (valid)
 * header announces more bytes than the file has, a last record whose payload checksum fails, or
 * only zeros. Anything else wrong &mdash; a header checksum mismatch followed by non-zero bytes, a
 * payload checksum mismatch before the last record, a block number out of sequence &mdash; is
 * corruption and refused with the file and byte offset, as is a missing first segment. The index of
 * the last segment is rewritten from the scan. Sealed segments are checked cheaply (index length
 * and last entry against the data file's end); an index that does not match is rebuilt from a
 * strict scan of its data file, which must then hold exactly the segment's blocks.
 */
package org.ledgergossip.ledger;
