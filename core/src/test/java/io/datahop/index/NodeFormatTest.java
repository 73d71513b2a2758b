package io.datahop.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.datahop.DatahopException;
import io.datahop.store.Address;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

/** The byte format of docs/format.md ("B+tree nodes") and how readers fail on bad nodes. */
class NodeFormatTest {
  private static final Comparator<Long> NATURAL = Comparator.naturalOrder();
  private final CountingStore store = new CountingStore();
  private final IndexStorage<Long> storage =
      IndexStorage.builder(store).nodeSize(4).build(KeyCodecs.longs());

  private byte[] blob(Address a) {
    return store.get(a);
  }

  @Test
  void aLeafIsWrittenAsTheSpecExampleSays() {
    Address a = BTree.build(storage, NATURAL, List.of(1L, 2L, 300L)).flush();
    assertThat(HexFormat.of().formatHex(blob(a))).isEqualTo("b70100030202d404");
    assertThat(a).isEqualTo(Address.of(HexFormat.of().parseHex("b70100030202d404")));
  }

  @Test
  void aBranchIsWrittenAsTheSpecExampleSays() {
    // node size 4 builds the leaves [1 2 3 4] and [5 6] (half full: kept as is)
    BTree<Long> t = BTree.build(storage, NATURAL, LongStream.rangeClosed(1, 6).boxed().toList());
    Address root = t.flush();
    byte[] b = blob(root);
    String hex = HexFormat.of().formatHex(b);
    // magic, version, kind 1, level 1, 2 children
    assertThat(hex).startsWith("b701010102");
    Address left = Address.fromBytes(java.util.Arrays.copyOfRange(b, 5, 37));
    Address right = Address.fromBytes(java.util.Arrays.copyOfRange(b, 37, 69));
    assertThat(HexFormat.of().formatHex(blob(left))).isEqualTo("b701000402020202");
    assertThat(HexFormat.of().formatHex(blob(right))).isEqualTo("b70100020a02");
    // counts 4 and 2, then the max keys 4 and 6 through the long codec (zig-zag 4, delta 2)
    assertThat(hex.substring(138)).isEqualTo("0402" + "0804");
  }

  @Test
  void anUnknownVersionFailsNamingTheAddressAndVersion() {
    Address a = store.put(HexFormat.of().parseHex("b70200030202d404"));
    BTree<Long> t = BTree.load(storage, NATURAL, a);
    assertThatThrownBy(t::count)
        .isInstanceOfSatisfying(
            DatahopException.Fault.class,
            f -> {
              assertThat(f.code()).isEqualTo("index/unknown-node-version");
              assertThat(f.context()).containsEntry("address", a.hex()).containsEntry("version", 2);
            })
        .hasMessageContaining(a.hex())
        .hasMessageContaining("version 2");
  }

  @Test
  void aTruncatedNodeIsAFaultNamingItsAddress() {
    Address a = store.put(HexFormat.of().parseHex("b701000302"));
    assertThatThrownBy(() -> BTree.load(storage, NATURAL, a).count())
        .isInstanceOf(DatahopException.Fault.class)
        .hasMessageContaining(a.hex());
  }

  @Test
  void verifyReportsADamagedOrMissingNodeByAddress() {
    BTree<Long> t = BTree.build(storage, NATURAL, LongStream.range(0, 100).boxed().toList());
    Address root = t.flush();
    List<Address> all = new ArrayList<>();
    t.forEachAddress(all::add);
    Address victim = all.get(all.size() - 1);
    store.corrupt(victim, new byte[] {1, 2, 3});
    IndexStorage<Long> cold = IndexStorage.builder(store).nodeSize(4).build(KeyCodecs.longs());
    assertThatThrownBy(() -> BTree.load(cold, NATURAL, root).verify())
        .isInstanceOf(DatahopException.Fault.class)
        .hasMessageContaining(victim.hex());
    store.sweep(heads -> java.util.List.of(victim));
    assertThatThrownBy(() -> BTree.load(cold, NATURAL, root).verify())
        .isInstanceOfSatisfying(
            DatahopException.Fault.class,
            f -> assertThat(f.context()).containsEntry("address", victim.hex()));
  }

  @Test
  void verifyChecksStoredBytesEvenWhenTheFlushedTreeStillHoldsItsNodes() {
    BTree<Long> t = BTree.build(storage, NATURAL, LongStream.range(0, 100).boxed().toList());
    t.flush();
    List<Address> all = new ArrayList<>();
    t.forEachAddress(all::add);
    Address leaf = all.get(all.size() - 1);
    store.corrupt(leaf, new byte[] {9});
    assertThatThrownBy(t::verify)
        .isInstanceOf(DatahopException.Fault.class)
        .hasMessageContaining(leaf.hex());
  }

  @Test
  void verifyReportsASoundBlobWhoseKeysAreOutOfOrder() {
    Address a = store.put(HexFormat.of().parseHex("b70100020603")); // the leaf [3, 1]
    assertThatThrownBy(() -> BTree.load(storage, NATURAL, a).verify())
        .isInstanceOfSatisfying(
            DatahopException.Fault.class,
            f -> assertThat(f.code()).isEqualTo("index/damaged-node"))
        .hasMessageContaining(a.hex())
        .hasMessageContaining("out of order");
  }

  @Test
  void aTreeInAFileStoreReadsBackAfterReopening(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    String uri = "file:" + dir;
    Address root;
    try (var fs = io.datahop.store.Stores.open(uri, true)) {
      IndexStorage<Long> s = IndexStorage.builder(fs).nodeSize(8).build(KeyCodecs.longs());
      root = BTree.build(s, NATURAL, LongStream.range(0, 5_000).boxed().toList()).remove(77L).flush();
      assertThat(fs.compareAndSetHead("main", null, root)).isTrue();
    }
    try (var fs = io.datahop.store.Stores.open(uri, false)) {
      IndexStorage<Long> s = IndexStorage.builder(fs).nodeSize(8).build(KeyCodecs.longs());
      BTree<Long> t = BTree.load(s, NATURAL, fs.head("main").orElseThrow());
      assertThat(t.verify().keys()).isEqualTo(4_999);
      assertThat(t.contains(77L)).isFalse();
      assertThat(t.count(70L, 80L)).isEqualTo(10);
    }
  }

  @Test
  void bulkBuildRejectsUnsortedInputNamingThePosition() {
    assertThatThrownBy(() -> BTree.build(storage, NATURAL, List.of(1L, 3L, 2L)))
        .isInstanceOf(DatahopException.Incorrect.class)
        .hasMessageContaining("index 2");
    assertThatThrownBy(() -> BTree.build(storage, NATURAL, List.of(1L, 1L)))
        .isInstanceOf(DatahopException.Incorrect.class);
  }

  @Test
  void aTransientCannotBeUsedAfterPersistent() {
    Transient<Long> t = BTree.empty(storage, NATURAL).asTransient();
    t.insert(1L);
    BTree<Long> done = t.persistent();
    assertThatThrownBy(() -> t.insert(2L)).isInstanceOf(DatahopException.Incorrect.class);
    assertThat(done.count()).isEqualTo(1);
  }

  @Test
  void anEmptyTreeFlushesToALoadableEmptyLeaf() {
    Address a = BTree.empty(storage, NATURAL).flush();
    assertThat(HexFormat.of().formatHex(blob(a))).isEqualTo("b7010000");
    BTree<Long> t = BTree.load(storage, NATURAL, a);
    assertThat(t.count()).isZero();
    assertThat(t.iterator().hasNext()).isFalse();
    assertThat(t.rslice(null, null).iterator().hasNext()).isFalse();
    assertThat(t.insert(5L).count()).isEqualTo(1);
  }
}
