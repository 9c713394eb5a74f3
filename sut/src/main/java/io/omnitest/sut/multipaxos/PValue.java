package io.omnitest.sut.multipaxos;

/** What an acceptor accepted in one slot (PMMC's pvalue without its slot): the ballot and the command. */
public record PValue(Ballot ballot, String command) {}
