// ImageFolder: classes from sorted sub-folders, sorted files, extension and hidden-file filtering,
// lazy decoding with errors that name the file, and concurrent get().
#include <filesystem>
#include <thread>

#include "common/gradient_check.h"
#include "data/image_test_util.h"
#include "ember/data/image/decode.h"
#include "ember/data/image/image_folder.h"

namespace ember::data {
namespace {

namespace fs = std::filesystem;
using test::random_u8;
using test::same_image;
using test::smooth_u8;

// root/cat/{b.png, a.JPG, .hidden.png, notes.txt, sub/c.Png}, root/dog/x.jpeg, root/empty/,
// root/.git/y.png, root/readme.png (a file at the root is not a class).
struct Tree {
  test::TempFolder dir;
  std::string root = dir / "root";
  Tree() {
    for (const char* d : {"root/cat/sub", "root/dog", "root/empty", "root/.git"}) fs::create_directories(dir / d);
    write_png(root + "/cat/b.png", random_u8({4, 5, 3}, 1));
    write_jpeg(root + "/cat/a.JPG", smooth_u8(6, 6, 3));
    write_png(root + "/cat/.hidden.png", random_u8({4, 5, 3}, 2));
    test::write_bytes(root + "/cat/notes.txt", {'h', 'i'});
    write_png(root + "/cat/sub/c.Png", random_u8({3, 3, 1}, 3));  // gray: decoded to 3 channels
    write_jpeg(root + "/dog/x.jpeg", smooth_u8(7, 9, 3));
    write_png(root + "/.git/y.png", random_u8({2, 2, 3}, 4));
    write_png(root + "/readme.png", random_u8({2, 2, 3}, 5));
  }
};

TEST(ImageFolderTest, ClassesLabelsAndSortedPaths) {
  Tree t;
  ImageFolder ds(t.root);
  EXPECT_EQ(ds.classes(), (std::vector<std::string>{"cat", "dog"}));
  ASSERT_EQ(ds.size(), 4);
  const std::vector<std::string> expected = {t.root + "/cat/a.JPG", t.root + "/cat/b.png", t.root + "/cat/sub/c.Png",
                                             t.root + "/dog/x.jpeg"};
  EXPECT_EQ(ds.paths(), expected);
  EXPECT_EQ(ds.labels(), (std::vector<int64_t>{0, 0, 0, 1}));
  EXPECT_EQ(ds.repr(), "ImageFolder(root='" + t.root + "', 4 images, 2 classes, channels=3)");
}

TEST(ImageFolderTest, GetDecodesImageAndLabel) {
  Tree t;
  ImageFolder ds(t.root);
  const Sample s = ds.get(1);
  ASSERT_EQ(s.features.size(), 1u);
  ASSERT_EQ(s.labels.size(), 1u);
  EXPECT_TRUE(same_image(s.features[0], random_u8({4, 5, 3}, 1)));
  EXPECT_EQ(s.labels[0].dtype(), DType::Int64);
  EXPECT_EQ(s.labels[0].dim(), 0);
  EXPECT_EQ(s.labels[0].item(), 0);
  EXPECT_EQ(ds.get(2).features[0].shape(), Shape({3, 3, 3}));  // gray file, channels=3
  EXPECT_EQ(ds.get(3).features[0].shape(), Shape({7, 9, 3}));
  EXPECT_EQ(ds.get(3).labels[0].item(), 1);
  ImageFolder as_stored(t.root, {.channels = 0});
  EXPECT_EQ(as_stored.get(2).features[0].shape(), Shape({3, 3, 1}));
  EXPECT_THROW_WITH(ds.get(4), IndexError, "sample index 4 out of range [0, 4)");
  EXPECT_THROW_WITH(ds.get(-1), IndexError, "sample index -1 out of range");
}

TEST(ImageFolderTest, CorruptImageFailsLazilyNamingThePath) {
  Tree t;
  test::write_bytes(t.root + "/dog/broken.png", {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0});
  ImageFolder ds(t.root);  // scanning does not decode
  ASSERT_EQ(ds.size(), 5);
  EXPECT_EQ(ds.paths()[3], t.root + "/dog/broken.png");
  EXPECT_THROW_WITH(ds.get(3), FormatError, t.root + "/dog/broken.png: corrupt or truncated PNG");
  EXPECT_EQ(ds.get(4).features[0].shape(), Shape({7, 9, 3}));  // the others still load
}

TEST(ImageFolderTest, RootErrors) {
  test::TempFolder dir;
  EXPECT_THROW_WITH(ImageFolder(dir / "nope"), IOError, "root folder '" + (dir / "nope") + "' does not exist");
  test::write_bytes(dir / "file.png", {1, 2, 3});
  EXPECT_THROW_WITH(ImageFolder(dir / "file.png"), IOError, "is not a folder");
  fs::create_directories(dir / "empty/a");
  fs::create_directories(dir / "empty/b");
  test::write_bytes(dir / "empty/a/x.txt", {1});
  EXPECT_THROW_WITH(ImageFolder(dir / "empty"), ValueError, "found no images under '" + (dir / "empty") + "' (2 class folders)");
  EXPECT_THROW_WITH(ImageFolder(dir / "empty", {.channels = 2}), ValueError, "channels must be 0 (as stored), 1 or 3");
}

TEST(ImageFolderTest, ConcurrentGetsAgree) {
  Tree t;
  ImageFolder ds(t.root);
  std::vector<Tensor> serial;
  for (int64_t i = 0; i < ds.size(); ++i) serial.push_back(ds.get(i).features[0]);
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int k = 0; k < 4; ++k) {
    threads.emplace_back([&, k] {
      for (int rep = 0; rep < 20; ++rep)
        for (int64_t i = 0; i < ds.size(); ++i)
          if (!same_image(ds.get((i + k) % ds.size()).features[0], serial[(i + k) % ds.size()])) ++mismatches[k];
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(mismatches, (std::vector<int>{0, 0, 0, 0}));
}

}  // namespace
}  // namespace ember::data
