import { createContext, useContext, useEffect, useMemo, useState } from 'react';

const STORED = 'cqrs-books.language';

/** Every word the UI shows, in English and Korean; `{name}` is filled in by `t`. Errors the server words stay as sent. */
const MESSAGES = {
  en: {
    language: 'Language',
    live: '● live', offline: '○ offline', liveTitle: 'live updates',
    title: 'Title', author: 'Author', category: 'Category', pages: 'Pages', price: 'Price', published: 'Published',
    isbn: 'ISBN', isbn13: 'ISBN-13', description: 'Description', version: 'Version', added: 'Added', lastChanged: 'Last changed',
    empty: 'No books yet. Add one with the form.',
    edit: 'Edit', delete: 'Delete', confirmDelete: 'Delete?', yesDelete: 'Yes, delete', no: 'No',
    addBook: 'Add a book', editBook: 'Edit “{title}”', saveChanges: 'Save changes', add: 'Add book', cancel: 'Cancel',
    correctFields: 'Please correct the fields marked in red.',
    keptMine: 'Your changes are kept; saving now replaces version {version}.',
    changedUnreadable: 'The book was changed by someone else, and it could not be read again: {error}',
    deletedMeanwhile: 'Someone else deleted this book while you were editing it.', closeForm: 'Close the form',
    changedMeanwhile: 'Someone else changed this book (it is now at version {version}). Their values and yours:',
    field: 'Field', theirs: 'Theirs', yours: 'Yours', useTheirs: 'Use their version', keepMine: 'Keep mine and overwrite',
    search: 'Search', searchPlaceholder: 'Search title or author', sort: 'Sort',
    newest: 'Newest first', oldest: 'Oldest first', titleAz: 'Title A–Z', titleZa: 'Title Z–A',
    priceLow: 'Price, low to high', priceHigh: 'Price, high to low', pagesFew: 'Pages, fewest first',
    pagesMost: 'Pages, most first', publishedNew: 'Published, newest first', publishedOld: 'Published, oldest first',
    previous: '‹ Previous', next: 'Next ›', range: '{first}–{last} of {total}', firstPage: '« First',
    allCategories: 'All categories', noCategory: '(none)', categoryCount: '{name} ({count})',
    minPrice: 'Lowest price', maxPrice: 'Highest price', filters: 'Filters', clearFilters: 'Clear filters',
    loading: 'Loading…', noSuchBook: 'Book {bid} does not exist (it may have been deleted).',
    unreadableBook: 'Book {bid} could not be read: {error}', noDescription: 'No description.', backToList: 'Back to the list',
    recent: 'Your recent commands', lagUnknown: 'Read side: status unknown.', lag: 'Read side: {count} events behind.',
    lagOne: 'Read side: 1 event behind.',
    noCommands: 'None yet. Each command you send shows here with the time it took to appear in the list.',
    timesLabel: 'accepted in {accepted} ms, visible {visible} ms later',
    signIn: 'Sign in to make changes', signInHelp: 'Reading is open to everyone. To add, edit or delete books, paste a command token (an operator makes one with ./run.sh token).',
    commandToken: 'Command token', useToken: 'Use token', tokenRefused: 'This token is not accepted. Check it and try again.',
    added_: 'Added “{title}”.', saved: 'Saved “{title}”.', deleted: 'Deleted “{title}”.',
    tokenAccepted: 'Token accepted; you can change the catalogue.',
    tokenNotAccepted: 'Your command token was not accepted; enter a valid one.',
  },
  ko: {
    language: '언어',
    live: '● 실시간', offline: '○ 오프라인', liveTitle: '실시간 업데이트',
    title: '제목', author: '저자', category: '분류', pages: '쪽수', price: '가격', published: '출간일',
    isbn: 'ISBN', isbn13: 'ISBN-13', description: '설명', version: '버전', added: '등록', lastChanged: '마지막 수정',
    empty: '아직 책이 없습니다. 양식으로 추가하세요.',
    edit: '수정', delete: '삭제', confirmDelete: '삭제할까요?', yesDelete: '예, 삭제', no: '아니요',
    addBook: '책 추가', editBook: '“{title}” 수정', saveChanges: '변경 저장', add: '책 추가', cancel: '취소',
    correctFields: '빨간색으로 표시된 항목을 고쳐 주세요.',
    keptMine: '내 변경을 유지합니다. 지금 저장하면 버전 {version}을(를) 덮어씁니다.',
    changedUnreadable: '다른 사람이 이 책을 바꿨지만 다시 읽을 수 없었습니다: {error}',
    deletedMeanwhile: '수정하는 동안 다른 사람이 이 책을 삭제했습니다.', closeForm: '양식 닫기',
    changedMeanwhile: '다른 사람이 이 책을 바꿨습니다(현재 버전 {version}). 그 사람의 값과 내 값:',
    field: '항목', theirs: '상대', yours: '나', useTheirs: '상대 버전 사용', keepMine: '내 것으로 덮어쓰기',
    search: '검색', searchPlaceholder: '제목 또는 저자 검색', sort: '정렬',
    newest: '최신순', oldest: '오래된순', titleAz: '제목 가–하', titleZa: '제목 하–가',
    priceLow: '가격 낮은순', priceHigh: '가격 높은순', pagesFew: '쪽수 적은순',
    pagesMost: '쪽수 많은순', publishedNew: '출간일 최신순', publishedOld: '출간일 오래된순',
    previous: '‹ 이전', next: '다음 ›', range: '{total}권 중 {first}–{last}', firstPage: '« 처음',
    allCategories: '모든 분류', noCategory: '(없음)', categoryCount: '{name} ({count})',
    minPrice: '최저 가격', maxPrice: '최고 가격', filters: '필터', clearFilters: '필터 지우기',
    loading: '불러오는 중…', noSuchBook: '책 {bid}이(가) 없습니다(삭제되었을 수 있습니다).',
    unreadableBook: '책 {bid}을(를) 읽을 수 없습니다: {error}', noDescription: '설명이 없습니다.', backToList: '목록으로',
    recent: '최근 내 명령', lagUnknown: '조회 측: 상태를 알 수 없습니다.', lag: '조회 측: {count}개 이벤트 지연.',
    lagOne: '조회 측: 1개 이벤트 지연.',
    noCommands: '아직 없습니다. 보내는 명령마다 목록에 나타나기까지 걸린 시간이 여기에 표시됩니다.',
    timesLabel: '{accepted}ms 만에 접수, {visible}ms 후 표시',
    signIn: '변경하려면 로그인하세요', signInHelp: '읽기는 누구나 할 수 있습니다. 책을 추가, 수정, 삭제하려면 명령 토큰을 붙여 넣으세요(운영자가 ./run.sh token으로 만듭니다).',
    commandToken: '명령 토큰', useToken: '토큰 사용', tokenRefused: '이 토큰은 받아들여지지 않습니다. 확인 후 다시 시도하세요.',
    added_: '“{title}”을(를) 추가했습니다.', saved: '“{title}”을(를) 저장했습니다.', deleted: '“{title}”을(를) 삭제했습니다.',
    tokenAccepted: '토큰이 확인되었습니다. 목록을 바꿀 수 있습니다.',
    tokenNotAccepted: '명령 토큰이 받아들여지지 않았습니다. 유효한 토큰을 입력하세요.',
  },
};

export const LANGUAGES = [['en', 'English'], ['ko', '한국어']];

function initialLanguage() {
  const stored = localStorage.getItem(STORED);
  if (MESSAGES[stored]) return stored;
  return (navigator.languages || [navigator.language]).some((tag) => tag?.toLowerCase().startsWith('ko')) ? 'ko' : 'en';
}

const I18n = createContext({ language: 'en', t: (key) => key, setLanguage: () => {} });

/** The chosen language (stored, else the browser's), its `t`, and a way to switch; sets `<html lang>`. */
export function LanguageProvider({ children }) {
  const [language, setLanguage] = useState(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
    localStorage.setItem(STORED, language);
  }, [language]);
  const value = useMemo(() => ({
    language,
    setLanguage,
    t: (key, vars = {}) => (MESSAGES[language][key] ?? MESSAGES.en[key] ?? key)
      .replace(/\{(\w+)\}/g, (match, name) => (name in vars ? String(vars[name]) : match)),
  }), [language]);
  return <I18n.Provider value={value}>{children}</I18n.Provider>;
}

export const useI18n = () => useContext(I18n);
