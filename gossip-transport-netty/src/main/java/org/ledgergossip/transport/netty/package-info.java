/**
 * The {@code netty} transport: TCP with mutual TLS (TLS 1.3 by default), on Netty's epoll or NIO
 * event loops, with OpenSSL (netty-tcnative BoringSSL) when it loads and the JDK's TLS engine
 * otherwise. Selected with {@code peer.gossip.transport=netty}; see {@link
 * org.ledgergossip.transport.netty.NettyTransportProvider} for its properties.
 *
 * <p><b>Wire format.</b> After the TLS handshake the accepting side, once it has verified the
 * dialler's certificate and accepted the connection, sends the 4-byte greeting {@code 4C 47 4E 01}
 * ({@code "LGN"} and version 1); a dial completes when it arrives, so a dialler whose certificate
 * the server refuses sees its dial fail even under TLS 1.3, where the client finishes its handshake
 * before the server has checked its certificate. From then on both directions carry frames: a
 * 4-byte big-endian length {@code n} ({@code 0 <= n <= } the receiver's {@code maxFrameSize}), then
 * {@code n} payload bytes. A length above the receiver's limit, or negative, closes the connection
 * before anything is allocated for it.
 *
 * <p><b>Closing.</b> An orderly close sends a TLS {@code close_notify}; the remote handler then
 * sees {@code onClose} with a null cause. A close for a failure (oversize or malformed frame, idle
 * timeout, I/O error) skips the {@code close_notify}, so the remote sees a TCP close without it and
 * reports a {@link org.ledgergossip.spi.transport.TransportException}.
 */
package org.ledgergossip.transport.netty;
