package org.ledgergossip.transport.netty;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import io.netty.util.concurrent.Future;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The event loops of one transport: one thread accepting connections and {@code ioThreads} worker
 * threads, epoll or NIO. Threads are daemons named {@code <prefix>boss-<n>} and {@code
 * <prefix>io-<n>}, started lazily, and remembered so that {@link #shutdown} can wait until they
 * have ended. Thread-safe.
 */
final class EventLoops {

  private final String threadPrefix;
  private final boolean epoll;
  private final MultiThreadIoEventLoopGroup boss;
  private final MultiThreadIoEventLoopGroup workers;
  private final List<Thread> threads = new CopyOnWriteArrayList<>();

  EventLoops(String threadPrefix, int ioThreads, boolean epoll) {
    this.threadPrefix = threadPrefix;
    this.epoll = epoll;
    IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    this.boss = new MultiThreadIoEventLoopGroup(1, threadFactory("boss-"), factory);
    this.workers = new MultiThreadIoEventLoopGroup(ioThreads, threadFactory("io-"), factory);
  }

  private ThreadFactory threadFactory(String role) {
    AtomicInteger next = new AtomicInteger();
    return runnable -> {
      Thread t = new FastThreadLocalThread(runnable, threadPrefix + role + next.incrementAndGet());
      t.setDaemon(true);
      threads.add(t);
      return t;
    };
  }

  String threadPrefix() {
    return threadPrefix;
  }

  boolean isEpoll() {
    return epoll;
  }

  MultiThreadIoEventLoopGroup boss() {
    return boss;
  }

  MultiThreadIoEventLoopGroup workers() {
    return workers;
  }

  Class<? extends ServerChannel> serverChannelClass() {
    return epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
  }

  Class<? extends SocketChannel> channelClass() {
    return epoll ? EpollSocketChannel.class : NioSocketChannel.class;
  }

  /** True if the calling thread is one of these event loops. */
  boolean inEventLoop() {
    return threads.contains(Thread.currentThread());
  }

  /**
   * Shuts both groups down at once (no quiet period). If {@code wait}, waits up to {@code timeout}
   * until every thread has ended.
   *
   * @return true if every thread has ended
   */
  boolean shutdown(Duration timeout, boolean wait) {
    long millis = timeout.toMillis();
    Future<?> bossDone = boss.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
    Future<?> workersDone = workers.shutdownGracefully(0, millis, TimeUnit.MILLISECONDS);
    if (!wait) {
      return false;
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    bossDone.awaitUninterruptibly(remainingMillis(deadline));
    workersDone.awaitUninterruptibly(remainingMillis(deadline));
    try {
      for (Thread t : threads) {
        long remaining = remainingMillis(deadline);
        if (remaining > 0) {
          t.join(remaining);
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return threads.stream().noneMatch(Thread::isAlive);
  }

  private static long remainingMillis(long deadlineNanos) {
    return Math.max(0, TimeUnit.NANOSECONDS.toMillis(deadlineNanos - System.nanoTime()));
  }
}
