package org.ledgergossip.spi.transport;

import java.security.cert.X509Certificate;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.ledgergossip.api.Endpoint;

/**
 * A {@link Connection} that forwards every call to {@link #delegate()}, for decorators that change
 * one or two behaviours (count the frames sent, inject a fault) and keep the rest, as Guava's
 * {@code Forwarding*} classes do. A subclass overrides what it changes; the contract of {@link
 * Connection} is then the subclass's to keep.
 *
 * <p><b>Threading and nullability.</b> As thread-safe as the delegate: this class adds no state.
 * {@link #delegate()} must return the same non-null connection on every call; every method returns
 * what the delegate returns.
 */
public abstract class ForwardingConnection implements Connection {

  /** For subclasses. */
  protected ForwardingConnection() {}

  /** The connection every call goes to; the same, non-null, on every call. */
  protected abstract Connection delegate();

  @Override
  public Endpoint remoteEndpoint() {
    return delegate().remoteEndpoint();
  }

  @Override
  public Endpoint localEndpoint() {
    return delegate().localEndpoint();
  }

  @Override
  public boolean isClient() {
    return delegate().isClient();
  }

  @Override
  public SendResult send(byte[] frame) {
    return delegate().send(frame);
  }

  @Override
  public Optional<X509Certificate> peerCertificate() {
    return delegate().peerCertificate();
  }

  @Override
  public Optional<X509Certificate> localCertificate() {
    return delegate().localCertificate();
  }

  @Override
  public long droppedFrames() {
    return delegate().droppedFrames();
  }

  @Override
  public boolean isOpen() {
    return delegate().isOpen();
  }

  @Override
  public void close() {
    delegate().close();
  }

  @Override
  public CompletableFuture<Void> closeFuture() {
    return delegate().closeFuture();
  }

  /** The delegate's description. */
  @Override
  public String toString() {
    return delegate().toString();
  }
}
