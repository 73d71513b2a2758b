package io.datahop.remote;

import java.util.List;

/** A body ready to travel: its code identity and each captured value encoded by the codec. */
record Captured(LambdaRef lambda, List<byte[]> args) {}
