package org.ledgergossip.core.internal.wire;

import com.google.common.collect.ImmutableSet;
import com.google.common.collect.Sets;
import java.util.EnumSet;
import java.util.Optional;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.ledgergossip.core.internal.pull.PullMessages;

/**
 * The table of which {@link Tag}s are legal for which content, after Fabric's {@code IsTagLegal}
 * ({@code gossip/protoext/message.go}) plus the three contents Fabric handles before calling it.
 *
 * <p>Both switches below are exhaustive switch expressions over protobuf enums without a {@code
 * default}: a content type added to a newer {@code fabric-protos} does not compile until it has a
 * rule. Stateless; thread-safe.
 */
final class TagRules {

  private static final ImmutableSet<Tag> NONE = ImmutableSet.of();
  private static final ImmutableSet<Tag> EMPTY = Sets.immutableEnumSet(Tag.EMPTY);
  private static final ImmutableSet<Tag> ORG_ONLY = Sets.immutableEnumSet(Tag.ORG_ONLY);
  private static final ImmutableSet<Tag> CHAN_AND_ORG = Sets.immutableEnumSet(Tag.CHAN_AND_ORG);
  private static final ImmutableSet<Tag> CHAN_OR_ORG = Sets.immutableEnumSet(Tag.CHAN_OR_ORG);
  private static final ImmutableSet<Tag> EMPTY_OR_ORG_ONLY =
      Sets.immutableEnumSet(Tag.EMPTY, Tag.ORG_ONLY);
  private static final ImmutableSet<Tag> EMPTY_OR_UNDEFINED =
      Sets.immutableEnumSet(Tag.EMPTY, Tag.UNDEFINED);

  /** Every tag, including numbers this protobuf version does not know ({@code UNRECOGNIZED}). */
  private static final ImmutableSet<Tag> ANY = Sets.immutableEnumSet(EnumSet.allOf(Tag.class));

  private TagRules() {}

  /** True for the contents {@link WireCodec} refuses whatever their tag: private data. */
  static boolean isUnsupported(ContentCase content) {
    return switch (content) {
      case PRIVATEREQ, PRIVATERES, PRIVATE_DATA -> true;
      default -> false;
    };
  }

  /**
   * The tags legal for a message of {@code content}; {@code pullType} matters only for the four
   * pull messages. Empty for contents that are never legal (no content, private data) and for a
   * pull message whose type is neither {@code BLOCK_MSG} nor {@code IDENTITY_MSG}.
   */
  static ImmutableSet<Tag> legalTags(ContentCase content, PullMsgType pullType) {
    return switch (content) {
      // Checked by Fabric before IsTagLegal: the handshake is sent with EMPTY, an
      // acknowledgement with whatever tag (UNDEFINED in practice), a ping with EMPTY or nothing.
      case CONN -> EMPTY;
      case ACK -> ANY;
      case EMPTY -> EMPTY_OR_UNDEFINED;
      // IsTagLegal, in its order.
      case DATA_MSG -> CHAN_AND_ORG;
      case ALIVE_MSG, MEM_REQ, MEM_RES -> EMPTY;
      case PEER_IDENTITY -> ORG_ONLY;
      case HELLO, DATA_DIG, DATA_REQ, DATA_UPDATE -> pullTags(pullType);
      case STATE_INFO, STATE_INFO_PULL_REQ, STATE_SNAPSHOT, STATE_REQUEST, STATE_RESPONSE ->
          CHAN_OR_ORG;
      case LEADERSHIP_MSG -> CHAN_AND_ORG;
      // Refused before the tag is looked at.
      case PRIVATEREQ, PRIVATERES, PRIVATE_DATA, CONTENT_NOT_SET -> NONE;
    };
  }

  private static ImmutableSet<Tag> pullTags(PullMsgType pullType) {
    return switch (pullType) {
      case BLOCK_MSG -> CHAN_AND_ORG;
      case IDENTITY_MSG -> EMPTY;
      case UNDEFINED, UNRECOGNIZED -> NONE;
    };
  }

  /**
   * The {@code msg_type} of a pull message (hello, digest, request, update); {@code UNDEFINED} for
   * every other content, as Fabric's {@code GetPullMsgType}.
   */
  static PullMsgType pullMsgType(GossipMessage message) {
    return PullMessages.typeOf(message);
  }

  static boolean isPullMessage(ContentCase content) {
    return switch (content) {
      case HELLO, DATA_DIG, DATA_REQ, DATA_UPDATE -> true;
      default -> false;
    };
  }

  /**
   * Why {@code message}'s tag is illegal, in words, or empty if it is legal.
   *
   * <p>Callers have already refused {@code CONTENT_NOT_SET} and private data.
   */
  static Optional<String> violation(GossipMessage message) {
    return violation(message, legalTags(message.getContentCase(), pullMsgType(message)));
  }

  /**
   * {@link #violation(GossipMessage)} for a message that arrived inside another one. Fabric checks
   * no tag there, and its certificate store signs its {@code PeerIdentity} messages with {@code
   * EMPTY} (while {@code IsTagLegal} demands {@code ORG_ONLY} of a top-level one), so an embedded
   * identity may carry either; every other content follows the top-level table.
   */
  static Optional<String> embeddedViolation(GossipMessage message) {
    ContentCase content = message.getContentCase();
    return violation(
        message,
        content == ContentCase.PEER_IDENTITY
            ? EMPTY_OR_ORG_ONLY
            : legalTags(content, pullMsgType(message)));
  }

  private static Optional<String> violation(GossipMessage message, ImmutableSet<Tag> legal) {
    ContentCase content = message.getContentCase();
    PullMsgType pullType = pullMsgType(message);
    Tag tag = message.getTag();
    if (legal.contains(tag)) {
      return Optional.empty();
    }
    String tagName = tag == Tag.UNRECOGNIZED ? "#" + message.getTagValue() : tag.name();
    if (isPullMessage(content) && legal.isEmpty()) {
      String typeName =
          pullType == PullMsgType.UNRECOGNIZED ? "#" + pullMsgTypeValue(message) : pullType.name();
      return Optional.of(
          content
              + " has msg_type "
              + typeName
              + ": a pull message must be BLOCK_MSG (tag CHAN_AND_ORG) or IDENTITY_MSG (tag EMPTY)");
    }
    String pullNote = isPullMessage(content) ? " with msg_type " + pullType : "";
    return Optional.of(
        "tag " + tagName + " is illegal for " + content + pullNote + ": expected " + legal);
  }

  private static int pullMsgTypeValue(GossipMessage message) {
    return switch (message.getContentCase()) {
      case HELLO -> message.getHello().getMsgTypeValue();
      case DATA_DIG -> message.getDataDig().getMsgTypeValue();
      case DATA_REQ -> message.getDataReq().getMsgTypeValue();
      case DATA_UPDATE -> message.getDataUpdate().getMsgTypeValue();
      default -> 0;
    };
  }
}
