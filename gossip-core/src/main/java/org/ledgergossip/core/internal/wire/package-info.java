/**
 * The wire codec: Fabric's gossip {@code Envelope}/{@code GossipMessage} frames to checked messages
 * and back ({@link org.ledgergossip.core.internal.wire.WireCodec}), with the tag-legality rules of
 * Fabric's {@code IsTagLegal}.
 *
 * <p>Internal: public because other modules of ours use it, but not part of the API and free to
 * change. Protobuf types appear here and must not leak into {@code org.ledgergossip.api}.
 */
package org.ledgergossip.core.internal.wire;
