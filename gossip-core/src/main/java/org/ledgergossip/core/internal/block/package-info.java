/**
 * Fabric's block format and its checks ({@code protoutil/blockutils.go}, {@code
 * orderer/common/multichannel/blockwriter.go}, {@code internal/peer/gossip/mcs.go}): conversion
 * between the API's {@link org.ledgergossip.api.Block} and {@code common.Block}, the header bytes
 * and hashes ({@link org.ledgergossip.core.internal.block.BlockFormat}), the orderer's signature in
 * the metadata ({@link org.ledgergossip.core.internal.block.BlockSigner}) and a peer's verification
 * of a received block ({@link org.ledgergossip.core.internal.block.BlockVerifier}).
 *
 * <p>Internal: public because the ordering side and state transfer use it, but not part of the API
 * and free to change.
 */
package org.ledgergossip.core.internal.block;
