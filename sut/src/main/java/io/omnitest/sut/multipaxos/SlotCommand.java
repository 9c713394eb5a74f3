package io.omnitest.sut.multipaxos;

/** A command for one slot: proposed (in a P2a), accepted (in a P1b, with its ballot) or decided. */
public record SlotCommand(long slot, Ballot ballot, String command) {}
