package io.omnitest.sut.log;

/** A message between servers of one replication group: who sent it and to whom (pids). */
public interface Addressed {
    int from();

    int to();
}
