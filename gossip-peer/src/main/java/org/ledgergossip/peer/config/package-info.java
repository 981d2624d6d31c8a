/**
 * Configuration of the {@code gossip} command: Fabric's {@code core.yaml} ({@link
 * org.ledgergossip.peer.config.CoreYaml}, giving {@link org.ledgergossip.peer.config.PeerSettings})
 * and {@code orderer.yaml} ({@link org.ledgergossip.peer.config.OrdererYaml}, giving {@link
 * org.ledgergossip.peer.config.OrdererSettings}), with Fabric's environment overrides ({@code
 * CORE_*}, {@code ORDERER_*}) and {@code FABRIC_CFG_PATH}. Every problem of a file is reported at
 * once, in one {@link org.ledgergossip.api.InvalidConfigException}, before anything starts.
 */
@NullMarked
package org.ledgergossip.peer.config;

import org.jspecify.annotations.NullMarked;
