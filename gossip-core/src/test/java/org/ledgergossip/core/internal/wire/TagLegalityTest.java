package org.ledgergossip.core.internal.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.hyperledger.fabric.protos.gossip.GossipMessage;
import org.hyperledger.fabric.protos.gossip.GossipMessage.ContentCase;
import org.hyperledger.fabric.protos.gossip.GossipMessage.Tag;
import org.hyperledger.fabric.protos.gossip.PullMsgType;
import org.junit.jupiter.api.Test;
import org.ledgergossip.core.internal.wire.MalformedMessageException.Reason;

/**
 * Every content type × every tag (and every pull type for pull messages), decoded and compared with
 * an expectation table written here independently of {@link TagRules}, from Fabric's {@code
 * IsTagLegal} and the messages Fabric handles before it.
 */
class TagLegalityTest {

  /** A tag number no version of the protocol defines: parsed as {@code UNRECOGNIZED}. */
  private static final int UNKNOWN_TAG_NUMBER = 99;

  private static final int UNKNOWN_PULL_TYPE_NUMBER = 7;

  private static final Set<String> PULL_MESSAGES =
      Set.of("HELLO", "DATA_DIG", "DATA_REQ", "DATA_UPDATE");

  private final WireCodec codec = new WireCodec(1 << 20, new SimpleMeterRegistry());

  /**
   * The expectation: which tag numbers are legal for a content (and pull type). Null means the
   * content is refused before its tag is looked at, with the given reason.
   */
  private static Set<Integer> expectedLegalTags(ContentCase content, int pullType) {
    int undefined = 0;
    int empty = 1;
    int orgOnly = 2;
    int chanAndOrg = 4;
    int chanOrOrg = 5;
    return switch (content.name()) {
      case "DATA_MSG", "LEADERSHIP_MSG" -> Set.of(chanAndOrg);
      case "ALIVE_MSG", "MEM_REQ", "MEM_RES", "CONN" -> Set.of(empty);
      case "PEER_IDENTITY" -> Set.of(orgOnly);
      case "HELLO", "DATA_DIG", "DATA_REQ", "DATA_UPDATE" ->
          switch (pullType) {
            case 1 -> Set.of(chanAndOrg); // BLOCK_MSG
            case 2 -> Set.of(empty); // IDENTITY_MSG
            default -> Set.of();
          };
      case "STATE_INFO",
          "STATE_SNAPSHOT",
          "STATE_INFO_PULL_REQ",
          "STATE_REQUEST",
          "STATE_RESPONSE" ->
          Set.of(chanOrOrg);
      case "ACK" -> Set.of(undefined, empty, orgOnly, 3, chanAndOrg, chanOrOrg, UNKNOWN_TAG_NUMBER);
      case "EMPTY" -> Set.of(undefined, empty);
      case "PRIVATEREQ", "PRIVATERES", "PRIVATE_DATA", "CONTENT_NOT_SET" -> null;
      default -> throw new AssertionError("no expectation for content " + content + ": add one");
    };
  }

  private static List<Integer> allTagNumbers() {
    List<Integer> numbers = new ArrayList<>();
    for (Tag tag : Tag.values()) {
      if (tag != Tag.UNRECOGNIZED) {
        numbers.add(tag.getNumber());
      }
    }
    numbers.add(UNKNOWN_TAG_NUMBER);
    return numbers;
  }

  private static List<Integer> pullTypeNumbers(ContentCase content) {
    if (!PULL_MESSAGES.contains(content.name())) {
      return List.of(PullMsgType.BLOCK_MSG_VALUE);
    }
    List<Integer> numbers = new ArrayList<>();
    for (PullMsgType type : PullMsgType.values()) {
      if (type != PullMsgType.UNRECOGNIZED) {
        numbers.add(type.getNumber());
      }
    }
    numbers.add(UNKNOWN_PULL_TYPE_NUMBER);
    return numbers;
  }

  private static GossipMessage build(ContentCase content, int pullType, int tag) {
    GossipMessage.Builder b = SampleMessages.sample(content).setTagValue(tag);
    switch (content) {
      case HELLO -> b.getHelloBuilder().setMsgTypeValue(pullType);
      case DATA_DIG -> b.getDataDigBuilder().setMsgTypeValue(pullType);
      case DATA_REQ -> b.getDataReqBuilder().setMsgTypeValue(pullType);
      case DATA_UPDATE -> b.getDataUpdateBuilder().setMsgTypeValue(pullType);
      default -> {}
    }
    return b.build();
  }

  @Test
  void everyContentTagAndPullTypeIsDecidedAsFabricDecides() {
    int checked = 0;
    for (ContentCase content : ContentCase.values()) {
      for (int pullType : pullTypeNumbers(content)) {
        Set<Integer> legal = expectedLegalTags(content, pullType);
        for (int tag : allTagNumbers()) {
          GossipMessage message = build(content, pullType, tag);
          assertThat(message.getContentCase()).isEqualTo(content);
          byte[] frame = WireCodec.envelopeOf(message).toByteArray();
          String what = content + " pullType=" + pullType + " tag=" + tag;
          if (legal != null && legal.contains(tag)) {
            try {
              assertThat(codec.decode(frame).message()).as(what).isEqualTo(message);
            } catch (MalformedMessageException e) {
              fail("refused a legal combination: " + what, e);
            }
            assertThat(WireCodec.isTagLegal(message)).as(what).isTrue();
          } else {
            MalformedMessageException e =
                catchThrowableOfType(MalformedMessageException.class, () -> codec.decode(frame));
            if (e == null) {
              fail("accepted an illegal combination: " + what);
            }
            Reason expected =
                switch (content) {
                  case CONTENT_NOT_SET -> Reason.NO_CONTENT;
                  case PRIVATEREQ, PRIVATERES, PRIVATE_DATA -> Reason.UNSUPPORTED;
                  default -> Reason.TAG_ILLEGAL;
                };
            assertThat(e.reason()).as(what).isEqualTo(expected);
            assertThat(WireCodec.isTagLegal(message)).as(what).isFalse();
          }
          checked++;
        }
      }
    }
    // 22 content cases (4 of them pull messages with 4 pull types each) × 7 tag numbers.
    assertThat(checked).isEqualTo((ContentCase.values().length + 4 * 3) * 7);
  }

  @Test
  void illegalTagMessageNamesTagContentAndExpectation() {
    GossipMessage message =
        SampleMessages.sample(ContentCase.DATA_MSG).setTag(Tag.ORG_ONLY).build();
    MalformedMessageException e =
        catchThrowableOfType(
            MalformedMessageException.class,
            () -> codec.decode(WireCodec.envelopeOf(message).toByteArray()));
    assertThat(e.reason()).isEqualTo(Reason.TAG_ILLEGAL);
    assertThat(e.getMessage()).contains("ORG_ONLY", "DATA_MSG", "CHAN_AND_ORG");
  }

  @Test
  void pullMessageWithUndefinedTypeIsIllegalWhateverTheTag() {
    GossipMessage message =
        SampleMessages.sample(ContentCase.HELLO, PullMsgType.UNDEFINED)
            .setTag(Tag.CHAN_AND_ORG)
            .build();
    MalformedMessageException e =
        catchThrowableOfType(
            MalformedMessageException.class,
            () -> codec.decode(WireCodec.envelopeOf(message).toByteArray()));
    assertThat(e.reason()).isEqualTo(Reason.TAG_ILLEGAL);
    assertThat(e.getMessage()).contains("HELLO", "msg_type UNDEFINED");
  }

  @Test
  void channelAndOrgRestrictionsFollowFabric() {
    Set<Tag> channel = EnumSet.noneOf(Tag.class);
    Set<Tag> org = EnumSet.noneOf(Tag.class);
    for (Tag tag : Tag.values()) {
      if (WireCodec.isChannelRestricted(tag)) {
        channel.add(tag);
      }
      if (WireCodec.isOrgRestricted(tag)) {
        org.add(tag);
      }
    }
    assertThat(channel).containsExactlyInAnyOrder(Tag.CHAN_AND_ORG, Tag.CHAN_ONLY, Tag.CHAN_OR_ORG);
    assertThat(org).containsExactlyInAnyOrder(Tag.CHAN_AND_ORG, Tag.ORG_ONLY);
  }
}
